package dev.chatplatform.usage.ledger.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.nio.charset.StandardCharsets;

/**
 * How the listeners fail. A record that can never be applied (not a valid event, or refused by the ledger's
 * constraints) is logged with its reason and skipped at once, so it cannot block its partition; a usage.v1
 * record is also copied to {@code usage.v1.dlt} with the reason in header {@value #REASON_HEADER}. Anything else is
 * transient (database or broker trouble) and retried with back-off, without limit: skipping it would lose
 * billable usage.
 */
@Configuration(proxyBeanMethods = false)
class UsageEventsConfig {

    static final String REASON_HEADER = "x-dlt-reason";
    private static final Logger log = LoggerFactory.getLogger(UsageEventsConfig.class);

    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<String, String> kafka) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, failure) -> new TopicPartition(Topics.USAGE_DLT, -1));
        deadLetters.setHeadersFunction((record, failure) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON_HEADER, reason(failure).getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, failure) -> {
            log.warn("skipping unreadable record {}-{}@{} (ce_id={}, ce_type={}): {}", record.topic(), record.partition(),
                    record.offset(), header(record, CloudEventHeaders.ID), header(record, CloudEventHeaders.TYPE),
                    reason(failure));
            if (Topics.USAGE.equals(record.topic())) {
                deadLetters.accept(record, failure);
            }
        }, backOff);
        handler.addNotRetryableExceptions(UnreadableEventException.class, DataIntegrityViolationException.class);
        return handler;
    }

    /** The first line of the exception that made the record unreadable. */
    static String reason(Exception failure) {
        Throwable reason = failure;
        while (reason.getCause() != null && !(reason instanceof UnreadableEventException)
                && !(reason instanceof DataIntegrityViolationException)) {
            reason = reason.getCause();
        }
        String message = reason.getMessage();
        if (message == null) {
            return reason.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

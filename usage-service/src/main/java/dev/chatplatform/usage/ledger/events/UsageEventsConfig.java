package dev.chatplatform.usage.ledger.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.nio.charset.StandardCharsets;

/**
 * How the usage listener fails. A record that can never be applied (not a valid event, or refused by the
 * ledger's constraints) is logged with its reason and skipped at once, so it cannot block its partition.
 * Anything else is transient (database or broker trouble) and retried with back-off, without limit:
 * skipping it would lose billable usage. A later issue sends the skipped records to a dead-letter topic.
 */
@Configuration(proxyBeanMethods = false)
class UsageEventsConfig {

    private static final Logger log = LoggerFactory.getLogger(UsageEventsConfig.class);

    @Bean
    DefaultErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(UsageEventsConfig::skip, backOff);
        handler.addNotRetryableExceptions(UnreadableEventException.class, DataIntegrityViolationException.class);
        return handler;
    }

    private static void skip(ConsumerRecord<?, ?> record, Exception failure) {
        Throwable reason = failure;
        while (reason.getCause() != null && !(reason instanceof UnreadableEventException)
                && !(reason instanceof DataIntegrityViolationException)) {
            reason = reason.getCause();
        }
        log.warn("skipping unreadable record {}-{}@{} (ce_id={}, ce_type={}): {}", record.topic(), record.partition(),
                record.offset(), header(record, CloudEventHeaders.ID), header(record, CloudEventHeaders.TYPE),
                firstLine(reason.getMessage()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

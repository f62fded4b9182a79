package dev.chatplatform.analytics.ingest;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.TopicDefinition;
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
 * What is consumed (every topic of {@link EventCatalog}, read at start-up, so a topic added to the contracts is
 * consumed by the next build) and how failures are handled: records that can never be applied are skipped by
 * {@link EventIngestService}; anything else (database down) fails the batch, which is retried with back-off
 * without limit (the rolled-back batch is applied again from scratch, so nothing is counted twice).
 */
@Configuration(proxyBeanMethods = false)
class IngestConfig {

    private static final Logger log = LoggerFactory.getLogger(IngestConfig.class);

    /** Every catalog topic but dead-letter topics ({@code *.dlt}: copies of records their consumer refused). */
    @Bean
    String[] analyticsTopics() {
        return EventCatalog.TOPICS.stream().map(TopicDefinition::name).filter(name -> !name.endsWith(".dlt"))
                .toArray(String[]::new);
    }

    @Bean
    DefaultErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(IngestConfig::skip, backOff);
        handler.addNotRetryableExceptions(UnreadableEventException.class, DataIntegrityViolationException.class);
        return handler;
    }

    private static void skip(ConsumerRecord<?, ?> record, Exception failure) {
        Throwable reason = failure;
        while (reason.getCause() != null && !(reason instanceof UnreadableEventException)
                && !(reason instanceof DataIntegrityViolationException)) {
            reason = reason.getCause();
        }
        String message = String.valueOf(reason.getMessage());
        int nl = message.indexOf('\n');
        log.warn("skipping unreadable record {}-{}@{} (ce_id={}, ce_type={}): {}", record.topic(), record.partition(),
                record.offset(), header(record, CloudEventHeaders.ID), header(record, CloudEventHeaders.TYPE),
                nl < 0 ? message : message.substring(0, nl));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

package dev.chatplatform.rollout.guard.events;

import dev.chatplatform.kit.events.UnreadableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.format.DateTimeParseException;

/**
 * Listener failure handling (unreadable records are logged and skipped, anything else retried with back-off),
 * and the guard's schedule. The topics consumed are the event catalog's (created by the kit).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class GuardEventsConfig {

    private static final Logger log = LoggerFactory.getLogger(GuardEventsConfig.class);

    @Bean
    DefaultErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(GuardEventsConfig::skip, backOff);
        handler.addNotRetryableExceptions(UnreadableEventException.class, DateTimeParseException.class);
        return handler;
    }

    private static void skip(ConsumerRecord<?, ?> record, Exception failure) {
        log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                failure.getMessage());
    }
}

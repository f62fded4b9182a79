package dev.chatplatform.rollout.guard.events;

import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Listener failure handling (unreadable records are logged and skipped, anything else retried with back-off),
 * the guard's schedule, and {@code llm-calls.v1} declared here for as long as the event catalog does not
 * declare it (provider-service adds it).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class GuardEventsConfig {

    static final String LLM_CALLS_TOPIC = "llm-calls.v1";

    private static final Logger log = LoggerFactory.getLogger(GuardEventsConfig.class);

    @Bean
    DefaultErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(30_000);
        DefaultErrorHandler handler = new DefaultErrorHandler(GuardEventsConfig::skip, backOff);
        handler.addNotRetryableExceptions(UnreadableEventException.class, DateTimeParseException.class);
        return handler;
    }

    @Bean
    KafkaAdmin.NewTopics rolloutConsumedTopics() {
        boolean declared = EventCatalog.TOPICS.stream().anyMatch(t -> t.name().equals(LLM_CALLS_TOPIC));
        return declared ? new KafkaAdmin.NewTopics()
                : new KafkaAdmin.NewTopics(new NewTopic(LLM_CALLS_TOPIC, Optional.empty(), Optional.empty()));
    }

    private static void skip(ConsumerRecord<?, ?> record, Exception failure) {
        log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                failure.getMessage());
    }
}

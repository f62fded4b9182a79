package dev.chatplatform.kit.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import dev.chatplatform.kit.config.PlatformProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Event reading and consuming for every service; the outbox and processed-event table for services with a
 * database.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration"})
@EnableConfigurationProperties(PlatformProperties.class)
public class EventsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventReader eventReader(JsonMapper json) {
        return new EventReader(json);
    }

    /** Runs the service's {@link EventSubscription} beans: the one way to consume events as a consumer group. */
    @Bean
    EventListeners eventListeners(Environment env, ObjectProvider<EventSubscription> subscriptions, EventReader reader,
                                  ObjectProvider<TransactionTemplate> tx, KafkaTemplate<String, String> kafka,
                                  MeterRegistry meters, PlatformProperties properties,
                                  ObjectProvider<DeadLetters> deadLetters) {
        return new EventListeners(env.getRequiredProperty("spring.application.name"),
                subscriptions.orderedStream().toList(), reader, tx.getIfAvailable(), kafka, meters,
                properties.events().backoff(), deadLetters);
    }

    /** Every consumer's commits only go forward ({@link ForwardOnlyCommits}: why). */
    @Bean
    DefaultKafkaConsumerFactoryCustomizer forwardOnlyCommits() {
        return factory -> factory.addPostProcessor(ForwardOnlyCommits::wrap);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcClient.class)
    @ConditionalOnBean({JdbcClient.class, TransactionTemplate.class})
    static class OutboxConfig {

        @Bean
        OutboxRelay outboxRelay(JdbcClient jdbc, TransactionTemplate tx, KafkaTemplate<String, String> kafka,
                                Environment env, PlatformProperties properties, MeterRegistry meters) {
            return new OutboxRelay(jdbc, tx, kafka, env.getRequiredProperty("spring.application.name"),
                    properties.outbox().pollInterval(), properties.events().backoff(), meters);
        }

        @Bean
        Outbox outbox(JdbcClient jdbc, JsonMapper json, OutboxRelay relay, ObjectProvider<Tracer> tracer,
                      TransactionTemplate tx, PlatformProperties properties) {
            return new Outbox(jdbc, json, traceparent(tracer), relay::wakeUp, tx, properties.events().backoff());
        }

        /** {@code outbox} in the health details: rows Kafka refused for good, parked with their reason. */
        @Bean
        HealthIndicator outboxHealthIndicator(OutboxRelay relay) {
            return () -> Health.up().withDetails(relay.parkedRows()).build();
        }

        @Bean
        ProcessedEvents processedEvents(JdbcClient jdbc) {
            return new ProcessedEvents(jdbc);
        }

        @Bean
        DeadLetters deadLetters(JdbcClient jdbc, JsonMapper json, ObjectProvider<Clock> clock,
                                EventListeners consumers) {
            return new DeadLetters(jdbc, json, clock.getIfAvailable(Clock::systemUTC), consumers);
        }

        /** The W3C traceparent of the current span, so consumers can continue the request's trace. */
        private static Supplier<String> traceparent(ObjectProvider<Tracer> tracers) {
            return () -> {
                Tracer tracer = tracers.getIfAvailable();
                Span span = tracer == null ? null : tracer.currentSpan();
                if (span == null) {
                    return null;
                }
                var ctx = span.context();
                return "00-" + ctx.traceId() + "-" + ctx.spanId() + "-" + (Boolean.TRUE.equals(ctx.sampled()) ? "01" : "00");
            };
        }
    }
}

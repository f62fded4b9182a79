package dev.chatplatform.gateway.apikey;

import dev.chatplatform.kit.events.EventReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

@Configuration(proxyBeanMethods = false)
class ApiKeyViewConfig {

    /** Short, so a revocation takes effect within about this long after it reaches the topic. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    @Bean
    ApiKeyView apiKeyView(MeterRegistry meters) {
        ApiKeyView view = new ApiKeyView();
        Gauge.builder("gateway.api.keys", view, ApiKeyView::size)
                .description("API keys (active or revoked) in the gateway's local view").register(meters);
        return view;
    }

    @Bean
    ApiKeyViewFollower apiKeyViewFollower(ApiKeyView view, EventReader reader, KafkaProperties kafka) {
        return new ApiKeyViewFollower(view, reader, () -> {
            Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
            // no group: every replica reads the whole topic and never commits
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "gateway-api-key-view-" + UUID.randomUUID());
            return new KafkaConsumer<>(config);
        }, POLL_TIMEOUT);
    }

    /** In the readiness group (application.yml): a replica serves traffic only with a complete view. */
    @Bean
    HealthIndicator apiKeyViewHealthIndicator(ApiKeyViewFollower follower, ApiKeyView view) {
        return () -> follower.caughtUp()
                ? Health.up().withDetail("keys", view.size()).build()
                : Health.down().withDetail("reason", "still reading api-keys.v1").build();
    }
}

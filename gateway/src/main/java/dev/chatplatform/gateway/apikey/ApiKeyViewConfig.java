package dev.chatplatform.gateway.apikey;

import dev.chatplatform.kit.events.CompactedTopicFollower;
import dev.chatplatform.kit.events.EventReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.HealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;


@Configuration(proxyBeanMethods = false)
class ApiKeyViewConfig {

    @Bean
    ApiKeyView apiKeyView(MeterRegistry meters) {
        ApiKeyView view = new ApiKeyView();
        Gauge.builder("gateway.api.keys", view, ApiKeyView::size)
                .description("API keys (active or revoked) in the gateway's local view").register(meters);
        return view;
    }

    @Bean
    ApiKeyViewFollower apiKeyViewFollower(ApiKeyView view, EventReader reader, MeterRegistry meters,
                                          KafkaProperties kafka, @Value("${spring.application.name}") String service) {
        return new ApiKeyViewFollower(service, view, reader, meters,
                CompactedTopicFollower.consumers(kafka, service + "-api-key-view"),
                CompactedTopicFollower.POLL_TIMEOUT);
    }

    /** In the readiness group (application.yml): a replica serves traffic only with a complete view. */
    @Bean
    HealthIndicator apiKeyViewHealthIndicator(ApiKeyViewFollower follower, ApiKeyView view) {
        return () -> follower.readiness("keys", view.size());
    }
}

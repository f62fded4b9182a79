package dev.chatplatform.gateway.quota;

import dev.chatplatform.contracts.usage.QuotaChanged;
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
class QuotaViewConfig {

    @Bean
    QuotaView quotaView(MeterRegistry meters) {
        QuotaView view = new QuotaView();
        Gauge.builder("gateway.quota.accounts", view, QuotaView::size)
                .description("Accounts in the gateway's local view of quota.v1").register(meters);
        return view;
    }

    @Bean
    CompactedTopicFollower<QuotaChanged> quotaViewFollower(QuotaView view, EventReader reader, MeterRegistry meters,
                                                           KafkaProperties kafka,
                                                           @Value("${spring.application.name}") String service) {
        return new CompactedTopicFollower<>(service, "quota-view", QuotaChanged.TYPE,
                CompactedTopicFollower.Start.BEGINNING, new CompactedTopicFollower.Sink<>() {
            @Override
            public void apply(QuotaChanged quota) {
                view.apply(quota);
            }

            @Override
            public void remove(String accountId) {
                view.remove(accountId);
            }
        }, reader, meters, CompactedTopicFollower.consumers(kafka, service + "-quota-view"), CompactedTopicFollower.POLL_TIMEOUT);
    }

    /**
     * In the readiness group (application.yml): a replica that has not read {@code quota.v1} yet would hold paying
     * accounts to the default (free) limits.
     */
    @Bean
    HealthIndicator quotaViewHealthIndicator(CompactedTopicFollower<QuotaChanged> quotaViewFollower, QuotaView view) {
        return () -> quotaViewFollower.readiness("accounts", view.size());
    }
}

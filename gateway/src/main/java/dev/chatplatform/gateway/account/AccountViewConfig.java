package dev.chatplatform.gateway.account;

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
class AccountViewConfig {

    @Bean
    AccountView accountView(MeterRegistry meters) {
        AccountView view = new AccountView();
        Gauge.builder("gateway.accounts", view, AccountView::size)
                .description("Accounts (any status) in the gateway's local view of accounts.v1").register(meters);
        return view;
    }

    @Bean
    AccountViewFollower accountViewFollower(AccountView view, EventReader reader, MeterRegistry meters,
                                            KafkaProperties kafka, @Value("${spring.application.name}") String service) {
        return new AccountViewFollower(service, view, reader, meters,
                CompactedTopicFollower.consumers(kafka, service + "-account-view"),
                CompactedTopicFollower.POLL_TIMEOUT);
    }

    /**
     * In the readiness group (application.yml): a replica that has not read {@code accounts.v1} yet would let
     * suspended accounts in.
     */
    @Bean
    HealthIndicator accountViewHealthIndicator(AccountViewFollower follower, AccountView view) {
        return () -> follower.readiness("accounts", view.size());
    }
}

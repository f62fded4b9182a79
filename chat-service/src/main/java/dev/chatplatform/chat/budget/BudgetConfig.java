package dev.chatplatform.chat.budget;

import dev.chatplatform.contracts.usage.QuotaChanged;
import dev.chatplatform.kit.events.CompactedTopicFollower;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.identity.IdentityTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BudgetProperties.class)
class BudgetConfig {

    @Bean
    UsageClient usageClient(BudgetProperties properties, IdentityTokens tokens, ObjectProvider<Tracer> tracer,
                            ObjectProvider<Propagator> propagator) {
        return new UsageClient(properties, tokens, tracer, propagator);
    }

    @Bean
    LeaseBook leaseBook(UsageClient usage, BudgetProperties properties, JsonMapper json) {
        return new LeaseBook(usage, properties, json);
    }

    /**
     * Follows {@code quota.v1} from its end in every instance (no consumer group: each one holds its own leases),
     * so a lowered limit retires the leases granted under the old one as soon as usage-service publishes it
     * ({@link LeaseBook#policyChanged}). Only the changes after the start matter: leases are granted after it.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "chat.budget.lease.enabled", matchIfMissing = true)
    CompactedTopicFollower<QuotaChanged> leasePolicyFollower(LeaseBook leases, EventReader reader, MeterRegistry meters,
                                                             KafkaProperties kafka,
                                                             @Value("${spring.application.name}") String service) {
        return new CompactedTopicFollower<>(service, "lease-policies", QuotaChanged.TYPE,
                CompactedTopicFollower.Start.END, new CompactedTopicFollower.Sink<>() {
            @Override
            public void apply(QuotaChanged state) {
                leases.policyChanged(state);
            }

            @Override
            public void remove(String accountId) {
                leases.stateRemoved(accountId);
            }
        }, reader, meters, CompactedTopicFollower.consumers(kafka, service + "-lease-policies"),
                CompactedTopicFollower.POLL_TIMEOUT);
    }
}

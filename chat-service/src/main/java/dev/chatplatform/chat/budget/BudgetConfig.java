package dev.chatplatform.chat.budget;

import dev.chatplatform.kit.identity.IdentityTokens;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
}

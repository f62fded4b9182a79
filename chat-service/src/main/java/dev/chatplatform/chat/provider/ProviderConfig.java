package dev.chatplatform.chat.provider;

import dev.chatplatform.kit.identity.IdentityTokens;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProviderProperties.class)
class ProviderConfig {

    @Bean
    ProviderClient providerClient(ProviderProperties properties, IdentityTokens tokens, ObjectProvider<Tracer> tracer,
                                  ObjectProvider<Propagator> propagator) {
        return new ProviderClient(properties, tokens, tracer, propagator);
    }
}

package dev.chatplatform.kit.config;

import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.time.Clock;

@AutoConfiguration
@EnableConfigurationProperties(PlatformProperties.class)
public class KitIdentityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdentityTokens identityTokens(PlatformProperties properties, Environment environment) {
        // the service's own name is the audience it accepts and the actor it names in the tokens it mints
        return new IdentityTokens(properties.identity().secret(), properties.identity().ttl(), Clock.systemUTC(),
                environment.getRequiredProperty("spring.application.name"));
    }
}

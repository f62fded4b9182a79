package dev.chatplatform.provider.flags;

import dev.chatplatform.flags.Overrides;
import dev.chatplatform.flags.openfeature.KafkaFlagProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * The OpenFeature provider reading {@code flags.v1}, registered in an OpenFeature API instance of this
 * application context (not the JVM-wide singleton, so contexts never share or shut down each other's provider).
 * The provider is started by an {@link ApplicationRunner}: after the kit has created the catalog topics and
 * before the service reports itself ready; until then every flag is unknown (behaviour as without flags).
 */
@Configuration(proxyBeanMethods = false)
class FlagsConfig {

    static final String DOMAIN = "provider-service";

    /**
     * Reads with the service's own Kafka settings (servers, security, SASL principal), like its other clients.
     * Shut down by the API that runs it ({@link #openFeature()}).
     */
    @Bean(destroyMethod = "")
    KafkaFlagProvider flagProvider(ConfigurableEnvironment environment, KafkaProperties kafka, FlagsProperties properties) {
        return new KafkaFlagProvider(kafka.buildConsumerProperties(), overrides(environment), properties.initTimeout());
    }

    @Bean(destroyMethod = "shutdown")
    OpenFeatureAPI openFeature() {
        return new OpenFeatureAPI() { // protected constructor: an instance of our own
        };
    }

    @Bean
    Client flagsClient(OpenFeatureAPI openFeature) {
        return openFeature.getClient(DOMAIN);
    }

    @Bean
    ApplicationRunner startFlagProvider(OpenFeatureAPI openFeature, KafkaFlagProvider provider) {
        return args -> openFeature.setProviderAndWait(DOMAIN, provider);
    }

    /**
     * The emergency switch ({@code ROLLOUT_KILL}, {@code ROLLOUT_PERCENT_<FLAG>}) from every property source,
     * so it works as an environment variable, a system property or a test property.
     */
    static Overrides overrides(ConfigurableEnvironment environment) {
        Map<String, String> variables = new HashMap<>();
        environment.getPropertySources().forEach(source -> {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.equals(Overrides.KILL) || name.startsWith(Overrides.PERCENT_PREFIX)) {
                        variables.putIfAbsent(name, String.valueOf(environment.getProperty(name)));
                    }
                }
            }
        });
        return Overrides.from(variables);
    }
}

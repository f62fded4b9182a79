package dev.chatplatform.rollout.flag;

import dev.chatplatform.flags.Overrides;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The kill switch read from the environment ({@code ROLLOUT_KILL}, {@code ROLLOUT_PERCENT_<FLAG>}): every
 * property source is searched, so the variables work as environment variables, system properties or test
 * properties alike.
 */
@Configuration(proxyBeanMethods = false)
class FlagConfig {

    @Bean
    Overrides rolloutOverrides(ConfigurableEnvironment environment) {
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

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}

package dev.chatplatform.provider.flags;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param initTimeout how long start-up waits for the content of {@code flags.v1} before serving with what is
 *                    known (unknown flags behave as if there were no flag)
 */
@ConfigurationProperties("provider.flags")
public record FlagsProperties(@DefaultValue("10s") Duration initTimeout) {
}

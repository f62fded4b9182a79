package dev.chatplatform.provider.simulated;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Pace of the simulated model.
 *
 * @param firstTokenDelay time before the first token ({@code SIMULATED_FIRST_TOKEN_DELAY})
 * @param tokensPerSecond pace after the first token; 0 means as fast as possible ({@code SIMULATED_TOKENS_PER_SECOND})
 */
@Validated
@ConfigurationProperties("provider.simulated")
public record SimulatedProperties(@NotNull @DefaultValue("0ms") Duration firstTokenDelay,
                                  @PositiveOrZero @DefaultValue("0") double tokensPerSecond) {

    Duration interTokenDelay() {
        return tokensPerSecond <= 0 ? Duration.ZERO : Duration.ofNanos((long) (1_000_000_000L / tokensPerSecond));
    }
}

package dev.chatplatform.chat.context;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How big a model's context window is when provider-service does not say, and what is kept for the answer.
 *
 * @param defaultWindow        the window of a model neither provider-service nor {@code windows} describes
 * @param windows              context window per model id, used when provider-service does not report one
 * @param reservedOutputTokens tokens kept free for the answer when the request sets no {@code maxTokens}
 *                             (at most a quarter of the window)
 * @param windowCacheTtl       how long a model's window, once read from provider-service, is reused
 * @param unlistedModels       model names provider-service serves without describing them (routing names such
 *                             as {@code auto}): its 404 for them is not a refusal
 */
@Validated
@ConfigurationProperties("chat.context")
public record ContextProperties(
        @Min(16) @DefaultValue("8192") int defaultWindow,
        @NotNull @DefaultValue Map<String, Integer> windows,
        @Min(1) @DefaultValue("1024") int reservedOutputTokens,
        @NotNull @DefaultValue("10m") Duration windowCacheTtl,
        @NotNull @DefaultValue("auto") List<String> unlistedModels) {

    public ContextProperties {
        windows = windows == null ? Map.of() : Map.copyOf(windows);
        unlistedModels = unlistedModels == null ? List.of() : List.copyOf(unlistedModels);
    }
}

package dev.chatplatform.chat.budget;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where usage-service is, what to do when it cannot be reached, and what a hold assumes about a model that
 * provider-service does not describe. provider-service's {@code GET /v1/models/{id}} reports neither prices nor
 * the maximum output, so both come from here (a stopgap until it does; see the README).
 *
 * @param usageUrl               base URL of usage-service ({@code USAGE_SERVICE_URL})
 * @param connectTimeout         TCP connect timeout to usage-service
 * @param responseTimeout        how long a hold may take before usage-service counts as unreachable
 * @param failOpen               serve without a hold when usage-service cannot be reached (default: refuse with 503)
 * @param defaultMaxOutputTokens the worst-case answer of a model nobody describes, when the request sets no max_tokens
 * @param maxOutputTokens        the maximum answer per model id, used when the request sets no max_tokens
 * @param prices                 price per model id (micro-USD per million tokens), sent with each hold
 * @param defaultPrice           the price of a model missing from {@code prices}: deliberately the dearest
 *                               known, so a hold never under-reserves
 */
@Validated
@ConfigurationProperties("chat.budget")
public record BudgetProperties(
        @NotNull @DefaultValue("http://localhost:8084") URI usageUrl,
        @NotNull @DefaultValue("1s") Duration connectTimeout,
        @NotNull @DefaultValue("3s") Duration responseTimeout,
        @DefaultValue("false") boolean failOpen,
        @Min(1) @DefaultValue("16384") int defaultMaxOutputTokens,
        @NotNull @DefaultValue Map<String, Integer> maxOutputTokens,
        @NotNull @DefaultValue Map<String, @Valid ModelPrice> prices,
        @NotNull @Valid @DefaultValue ModelPrice defaultPrice) {

    public BudgetProperties {
        maxOutputTokens = maxOutputTokens == null ? Map.of() : Map.copyOf(maxOutputTokens);
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    /**
     * A model's price in micro-USD per million tokens (cached-input discounts are ignored: a hold is a worst case).
     * The defaults are the dearest seeded model's (claude-sonnet-4-5: $3 in, $15 out).
     */
    public record ModelPrice(@PositiveOrZero @DefaultValue("3000000") long inputMicroUsdPerMillion,
                             @PositiveOrZero @DefaultValue("15000000") long outputMicroUsdPerMillion) {
    }

    ModelPrice priceOf(String model) {
        return prices.getOrDefault(model, defaultPrice);
    }
}

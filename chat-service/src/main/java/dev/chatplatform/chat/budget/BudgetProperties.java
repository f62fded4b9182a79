package dev.chatplatform.chat.budget;

import dev.chatplatform.chat.context.ModelFacts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Where usage-service is, what to do when it cannot be reached, and what a hold assumes about a model that
 * provider-service does not describe (its {@code GET /v1/models/{id}} reports the maximum output and the price in
 * force; these defaults apply only when it cannot, for example for {@code auto} or while it is unreachable).
 *
 * @param usageUrl               base URL of usage-service ({@code USAGE_SERVICE_URL})
 * @param connectTimeout         TCP connect timeout to usage-service
 * @param responseTimeout        how long a hold may take before usage-service counts as unreachable
 * @param failOpenTiers          tiers served without a hold when usage-service cannot be reached ({@code *}: every
 *                               tier); any other tier, and an account whose tier is not known here, is refused
 *                               with 503 (fail closed, the default: no tier listed)
 * @param defaultMaxOutputTokens the worst-case answer of a model nobody describes, when the request sets no max_tokens
 * @param defaultPrice           the price of a model nobody describes: deliberately the dearest seeded price, so a
 *                               hold never under-reserves
 * @param knownAccounts          how many accounts' tiers (learnt from their holds) are remembered for fail-open
 * @param lease                  budget leases ({@link LeaseBook}): on by default
 */
@Validated
@ConfigurationProperties("chat.budget")
public record BudgetProperties(
        @NotNull @DefaultValue("http://localhost:8084") URI usageUrl,
        @NotNull @DefaultValue("1s") Duration connectTimeout,
        @NotNull @DefaultValue("3s") Duration responseTimeout,
        @NotNull @DefaultValue Set<String> failOpenTiers,
        @Min(1) @DefaultValue("16384") int defaultMaxOutputTokens,
        @NotNull @Valid @DefaultValue ModelPrice defaultPrice,
        @Min(0) @DefaultValue("100000") int knownAccounts,
        @NotNull @Valid @DefaultValue Lease lease) {

    public BudgetProperties {
        failOpenTiers = failOpenTiers == null ? Set.of() : Set.copyOf(failOpenTiers);
    }

    /**
     * A model's price in micro-USD per million tokens (cached-input discounts are ignored: a hold is a worst case).
     * The defaults are the dearest seeded model's (claude-sonnet-4-5: $3 in, $15 out).
     */
    public record ModelPrice(@PositiveOrZero @DefaultValue("3000000") long inputMicroUsdPerMillion,
                             @PositiveOrZero @DefaultValue("15000000") long outputMicroUsdPerMillion) {

        ModelFacts.Price asPrice() {
            return new ModelFacts.Price(inputMicroUsdPerMillion, outputMicroUsdPerMillion);
        }
    }

    /**
     * Budget leases ({@code chat.budget.lease.*}, see {@link LeaseBook}).
     *
     * @param enabled       draw requests from leases (the default; {@code CHAT_BUDGET_LEASE_ENABLED=false}: every
     *                      request places its own hold)
     * @param holder        this instance's name in usage-service's leases (default: a random one per start)
     * @param checkInterval how often leases are checked: expired ones retired, revoked ones (tier changed) found;
     *                      the backstop of {@code quota.v1}, which retires them at once ({@link LeaseBook})
     * @param retryAfter    after a lease was refused (near a limit) or failed, how long requests take exact holds
     *                      before the next try
     * @param expiryMargin  stop drawing this long before the lease expires in usage-service
     * @param drawTimeout   a draw whose request never told its end is counted at its worst case after this (the
     *                      hold ttl: no request outlives it)
     */
    public record Lease(@DefaultValue("true") boolean enabled,
                        @DefaultValue("") String holder,
                        @NotNull @DefaultValue("5s") Duration checkInterval,
                        @NotNull @DefaultValue("5s") Duration retryAfter,
                        @NotNull @DefaultValue("2s") Duration expiryMargin,
                        @NotNull @DefaultValue("10m") Duration drawTimeout) {

        public Lease {
            holder = holder == null || holder.isBlank()
                    ? "chat-service-" + java.util.UUID.randomUUID().toString().substring(0, 8) : holder;
        }
    }

    boolean failsOpen(String tier) {
        return failOpenTiers.contains("*") || (tier != null && failOpenTiers.contains(tier));
    }
}

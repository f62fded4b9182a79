package dev.chatplatform.contracts.usage;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The full current quota state of an account, published by usage-service on the compacted {@code quota.v1}
 * (key = account id) on every change: a hold placed, settled, released or expired, usage metered, a tier or
 * tier limit changed. Consumers (the gateway's rate limits, dashboards) keep the highest {@code version}.
 *
 * @param accountId         the account (the record key)
 * @param tier              the tier in force
 * @param status            ok, warning (some limit at 80 % or more of its maximum) or exhausted (some limit
 *                          has nothing left: new holds for it are refused)
 * @param requestsPerMinute the tier's gateway rate limit: requests per minute
 * @param tokensPerMinute   the tier's gateway rate limit: tokens per minute
 * @param allowedModels     model ids the tier may use; {@code ["*"]} means any
 * @param limits            one entry per limit of the current periods
 * @param version           increases with every change (across accounts too: a global sequence)
 * @param changedAt         when this version was written
 */
public record QuotaChanged(
        String accountId,
        String tier,
        String status,
        long requestsPerMinute,
        long tokensPerMinute,
        List<String> allowedModels,
        List<Limit> limits,
        long version,
        Instant changedAt) {

    public static final EventType<QuotaChanged> TYPE =
            new EventType<>("quota.changed.v1", Topics.QUOTA, QuotaChanged.class);

    public QuotaChanged {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(changedAt, "changedAt");
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
        limits = limits == null ? List.of() : List.copyOf(limits);
    }

    /**
     * One limit in its current period. {@code remaining = max(0, max - used - held)}.
     *
     * @param name        messages_per_day, tokens_per_month or cost_micro_usd_per_month
     * @param max         the tier's maximum for the period
     * @param used        settled usage in the period
     * @param held        reserved by holds not yet settled, released or expired
     * @param remaining   what new holds may still reserve
     * @param periodStart start of the period (inclusive)
     * @param periodEnd   end of the period (exclusive): when it resets
     */
    public record Limit(String name, long max, long used, long held, long remaining, Instant periodStart,
                        Instant periodEnd) {
    }
}

package dev.chatplatform.contracts.usage;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * An account's settled usage reached 80, 90 or 100 % of one of its limits. Published by usage-service on
 * {@code quota-thresholds.v1} (key = account id) exactly once per account, limit, period and threshold, also
 * after restarts and replays. The event id is derived from those four, so it is stable too.
 *
 * @param accountId   the account
 * @param tier        the tier in force when the threshold was crossed
 * @param limit       messages_per_day, tokens_per_month or cost_micro_usd_per_month
 * @param threshold   80, 90 or 100 (percent of {@code max})
 * @param max         the limit's maximum
 * @param used        settled usage when the threshold was crossed
 * @param periodStart start of the period (inclusive)
 * @param periodEnd   end of the period (exclusive)
 * @param occurredAt  when usage-service saw it
 */
public record QuotaThresholdCrossed(
        String accountId,
        String tier,
        String limit,
        int threshold,
        long max,
        long used,
        Instant periodStart,
        Instant periodEnd,
        Instant occurredAt) {

    public static final EventType<QuotaThresholdCrossed> TYPE =
            new EventType<>("quota.threshold-crossed.v1", Topics.QUOTA_THRESHOLDS, QuotaThresholdCrossed.class);

    public QuotaThresholdCrossed {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}

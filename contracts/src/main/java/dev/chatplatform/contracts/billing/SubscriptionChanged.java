package dev.chatplatform.contracts.billing;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * The full current subscription of an account, published on every change to the compacted
 * {@code subscriptions.v1}. {@code tier} is what the account is entitled to now: usage limits and gateway
 * rate limits follow it. Consumers keep the highest {@code version} they have seen.
 *
 * @param accountId         the account (the record key)
 * @param tier              the tier in force now: free, basic, pro or enterprise
 * @param status            none (free, no subscription), active, trialing, past_due, canceled, incomplete or unpaid
 * @param source            local (an admin assigned the tier) or stripe
 * @param pendingTier       the tier a scheduled downgrade switches to at {@code currentPeriodEnd}, or null
 * @param cancelAtPeriodEnd true when the subscription ends at {@code currentPeriodEnd}
 * @param currentPeriodEnd  end of the paid period, or null
 * @param graceEndsAt       while past due: when the account drops to free unless it pays, else null
 * @param version           increases by one with every change
 * @param changedAt         when this version was written
 * @param monthlyAmount     what the subscription bills per month for its recurring price, in minor units of
 *                          {@code currency} (a yearly price divided by 12, rounded down), or null when not known
 *                          (local mode, free tier); added compatibly within v1, so older events lack it
 * @param currency          ISO 4217 code, lower case as Stripe sends it ({@code usd}), or null with {@code monthlyAmount}
 */
public record SubscriptionChanged(
        String accountId,
        String tier,
        String status,
        String source,
        String pendingTier,
        boolean cancelAtPeriodEnd,
        Instant currentPeriodEnd,
        Instant graceEndsAt,
        long version,
        Instant changedAt,
        Long monthlyAmount,
        String currency) {

    public static final EventType<SubscriptionChanged> TYPE =
            new EventType<>("subscription.changed.v1", Topics.SUBSCRIPTIONS, SubscriptionChanged.class);

    public SubscriptionChanged {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /** A subscription whose recurring price is not known. */
    public SubscriptionChanged(String accountId, String tier, String status, String source, String pendingTier,
                               boolean cancelAtPeriodEnd, Instant currentPeriodEnd, Instant graceEndsAt, long version,
                               Instant changedAt) {
        this(accountId, tier, status, source, pendingTier, cancelAtPeriodEnd, currentPeriodEnd, graceEndsAt, version,
                changedAt, null, null);
    }
}

package dev.chatplatform.billing.subscription;

import java.time.Duration;
import java.time.Instant;

/** An account's subscription as the API shows it; {@code monthlyAmount}/{@code currency} as on subscriptions.v1. */
public record SubscriptionResponse(String accountId, String tier, String paidTier, String status, String source,
                                   String pendingTier, Instant pendingAt, boolean cancelAtPeriodEnd,
                                   Instant currentPeriodEnd, Instant graceEndsAt, long version, Long monthlyAmount,
                                   String currency) {

    static SubscriptionResponse of(Subscription s, Duration grace) {
        MonthlyPrice price = s.publishedPrice();
        return new SubscriptionResponse(s.accountId().toString(), s.tier().wire(), s.paidTier().wire(), s.status(),
                s.source(), s.pendingTier() == null ? null : s.pendingTier().wire(), s.pendingAt(),
                s.cancelAtPeriodEnd(), s.currentPeriodEnd(), s.graceEndsAt(grace), s.version(),
                price == null ? null : price.amount(), price == null ? null : price.currency());
    }
}

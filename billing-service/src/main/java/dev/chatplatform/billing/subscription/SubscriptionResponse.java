package dev.chatplatform.billing.subscription;

import java.time.Duration;
import java.time.Instant;

public record SubscriptionResponse(String accountId, String tier, String paidTier, String status, String source,
                                   String pendingTier, Instant pendingAt, boolean cancelAtPeriodEnd,
                                   Instant currentPeriodEnd, Instant graceEndsAt, long version) {

    static SubscriptionResponse of(Subscription s, Duration grace) {
        return new SubscriptionResponse(s.accountId().toString(), s.tier().wire(), s.paidTier().wire(), s.status(),
                s.source(), s.pendingTier() == null ? null : s.pendingTier().wire(), s.pendingAt(),
                s.cancelAtPeriodEnd(), s.currentPeriodEnd(), s.graceEndsAt(grace), s.version());
    }
}

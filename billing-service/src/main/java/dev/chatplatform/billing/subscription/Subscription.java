package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.Tier;
import dev.chatplatform.contracts.billing.SubscriptionChanged;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * An account's subscription state.
 *
 * @param tier             the tier in force now (what limits follow)
 * @param paidTier         the tier of the price on the subscription (or the tier an admin assigned)
 * @param status           Stripe's subscription status, or {@code none} (no subscription)
 * @param price            what the Stripe subscription bills per month for its recurring price, or null when not
 *                         known (local mode, or a price Stripe does not state as a whole unit amount)
 * @param pendingTier      a downgrade that takes effect at {@code pendingAt} (the end of the paid period)
 * @param pastDueSince     when the first unpaid invoice failed; the grace period counts from here
 * @param stripeStateAt    Stripe {@code created} (epoch seconds) of the newest event applied
 */
public record Subscription(
        AccountId accountId, Tier tier, Tier paidTier, String status, String source,
        String stripeSubscriptionId, String stripeItemId, MonthlyPrice price, Tier pendingTier, Instant pendingAt,
        boolean cancelAtPeriodEnd, Instant currentPeriodEnd, Instant pastDueSince, long stripeStateAt,
        long version, Instant updatedAt) {

    static final Set<String> ENTITLED = Set.of("active", "trialing", "past_due", "unpaid", "none");

    public static Subscription none(AccountId accountId, Instant now) {
        return new Subscription(accountId, Tier.FREE, Tier.FREE, "none", "local", null, null, null, null, null, false,
                null, null, 0, 0, now);
    }

    /**
     * The tier in force at {@code now}: the paid tier while the subscription is live; free once canceled or
     * past due for longer than {@code grace}; during a scheduled downgrade the higher tier until the paid
     * period ends.
     */
    public Tier entitledTier(Instant now, Duration grace) {
        if (!ENTITLED.contains(status) || graceOver(now, grace)) {
            return Tier.FREE;
        }
        if (pendingTier != null && pendingAt != null && now.isBefore(pendingAt)) {
            return max(tier, paidTier);
        }
        return paidTier;
    }

    public boolean graceOver(Instant now, Duration grace) {
        return pastDueSince != null && !now.isBefore(pastDueSince.plus(grace));
    }

    /** This state with its tier recomputed for {@code now} and an expired pending downgrade cleared. */
    public Subscription settle(Instant now, Duration grace) {
        Tier entitled = entitledTier(now, grace);
        boolean pendingDone = pendingAt != null && !now.isBefore(pendingAt);
        return new Subscription(accountId, entitled, paidTier, status, source, stripeSubscriptionId, stripeItemId, price,
                pendingDone ? null : pendingTier, pendingDone ? null : pendingAt, cancelAtPeriodEnd, currentPeriodEnd,
                pastDueSince, stripeStateAt, version, updatedAt);
    }

    /** Whether anything published differs (the version and time aside). */
    public boolean sameStateAs(Subscription other) {
        return other != null && tier == other.tier && paidTier == other.paidTier && status.equals(other.status)
                && source.equals(other.source) && java.util.Objects.equals(stripeSubscriptionId, other.stripeSubscriptionId)
                && java.util.Objects.equals(stripeItemId, other.stripeItemId)
                && java.util.Objects.equals(price, other.price)
                && pendingTier == other.pendingTier && java.util.Objects.equals(pendingAt, other.pendingAt)
                && cancelAtPeriodEnd == other.cancelAtPeriodEnd
                && java.util.Objects.equals(currentPeriodEnd, other.currentPeriodEnd)
                && java.util.Objects.equals(pastDueSince, other.pastDueSince);
    }

    Subscription next(Instant now) {
        return new Subscription(accountId, tier, paidTier, status, source, stripeSubscriptionId, stripeItemId, price,
                pendingTier, pendingAt, cancelAtPeriodEnd, currentPeriodEnd, pastDueSince, stripeStateAt, version + 1, now);
    }

    public Instant graceEndsAt(Duration grace) {
        return pastDueSince == null ? null : pastDueSince.plus(grace);
    }

    /** The price published with this state: the subscription's monthly price while a paid tier is in force, else none. */
    public MonthlyPrice publishedPrice() {
        return tier == Tier.FREE ? null : price;
    }

    public SubscriptionChanged toEvent(Duration grace) {
        MonthlyPrice published = publishedPrice();
        return new SubscriptionChanged(accountId.toString(), tier.wire(), status, source,
                pendingTier == null ? null : pendingTier.wire(), cancelAtPeriodEnd, currentPeriodEnd,
                graceEndsAt(grace), version, updatedAt, published == null ? null : published.amount(),
                published == null ? null : published.currency());
    }

    static Tier max(Tier a, Tier b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.Tier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Repository
class SubscriptionRepository {

    private static final String COLUMNS = "account_id, tier, paid_tier, status, source, stripe_subscription_id, "
            + "stripe_item_id, monthly_amount, currency, pending_tier, pending_at, cancel_at_period_end, current_period_end, past_due_since, "
            + "stripe_state_at, version, updated_at";

    private final JdbcClient jdbc;

    SubscriptionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The row locked for this transaction; the account row is locked first so concurrent first writes serialize. */
    Optional<Subscription> findForUpdate(AccountId id) {
        jdbc.sql("select id from accounts where id = :id for update").param("id", id.value()).query(UUID.class).optional();
        return jdbc.sql("select " + COLUMNS + " from subscriptions where account_id = :id for update")
                .param("id", id.value()).query(SubscriptionRepository::map).optional();
    }

    Optional<Subscription> find(AccountId id) {
        return jdbc.sql("select " + COLUMNS + " from subscriptions where account_id = :id")
                .param("id", id.value()).query(SubscriptionRepository::map).optional();
    }

    Optional<AccountId> accountOfSubscription(String stripeSubscriptionId) {
        return jdbc.sql("select account_id from subscriptions where stripe_subscription_id = :s")
                .param("s", stripeSubscriptionId).query((rs, i) -> new AccountId(rs.getObject(1, UUID.class))).optional();
    }

    /** Accounts whose grace period or scheduled downgrade may have run out by {@code now}. */
    List<AccountId> dueForSettling(Instant now, java.time.Duration grace) {
        return jdbc.sql("""
                        select account_id from subscriptions
                        where (past_due_since is not null and past_due_since <= :graceStart and tier <> 'free')
                           or (pending_at is not null and pending_at <= :now)""")
                .param("graceStart", Timestamp.from(now.minus(grace))).param("now", Timestamp.from(now))
                .query((rs, i) -> new AccountId(rs.getObject(1, UUID.class))).list();
    }

    void save(Subscription s) {
        int updated = jdbc.sql("""
                        insert into subscriptions (%s) values (:account, :tier, :paidTier, :status, :source, :subId,
                          :itemId, :monthlyAmount, :currency, :pendingTier, :pendingAt, :cancel, :periodEnd, :pastDue, :stateAt, :version, :updatedAt)
                        on conflict (account_id) do update set tier = :tier, paid_tier = :paidTier, status = :status,
                          source = :source, stripe_subscription_id = :subId, stripe_item_id = :itemId,
                          monthly_amount = :monthlyAmount, currency = :currency,
                          pending_tier = :pendingTier, pending_at = :pendingAt, cancel_at_period_end = :cancel,
                          current_period_end = :periodEnd, past_due_since = :pastDue, stripe_state_at = :stateAt,
                          version = :version, updated_at = :updatedAt
                        where subscriptions.version = :version - 1""".formatted(COLUMNS))
                .param("account", s.accountId().value())
                .param("tier", s.tier().wire())
                .param("paidTier", s.paidTier().wire())
                .param("status", s.status())
                .param("source", s.source())
                .param("subId", s.stripeSubscriptionId())
                .param("itemId", s.stripeItemId())
                .param("monthlyAmount", s.price() == null ? null : s.price().amount())
                .param("currency", s.price() == null ? null : s.price().currency())
                .param("pendingTier", s.pendingTier() == null ? null : s.pendingTier().wire())
                .param("pendingAt", ts(s.pendingAt()))
                .param("cancel", s.cancelAtPeriodEnd())
                .param("periodEnd", ts(s.currentPeriodEnd()))
                .param("pastDue", ts(s.pastDueSince()))
                .param("stateAt", s.stripeStateAt())
                .param("version", s.version())
                .param("updatedAt", ts(s.updatedAt()))
                .update();
        if (updated != 1) {
            throw new org.springframework.dao.OptimisticLockingFailureException("subscription of " + s.accountId()
                    + " changed concurrently");
        }
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Subscription map(ResultSet rs, int row) throws SQLException {
        String pending = rs.getString("pending_tier");
        long monthlyAmount = rs.getLong("monthly_amount");
        MonthlyPrice price = rs.wasNull() ? null : new MonthlyPrice(monthlyAmount, rs.getString("currency"));
        return new Subscription(new AccountId(rs.getObject("account_id", UUID.class)),
                Tier.fromWire(rs.getString("tier")).orElseThrow(), Tier.fromWire(rs.getString("paid_tier")).orElseThrow(),
                rs.getString("status"), rs.getString("source"), rs.getString("stripe_subscription_id"),
                rs.getString("stripe_item_id"), price, pending == null ? null : Tier.fromWire(pending).orElseThrow(),
                instant(rs, "pending_at"), rs.getBoolean("cancel_at_period_end"), instant(rs, "current_period_end"),
                instant(rs, "past_due_since"), rs.getLong("stripe_state_at"), rs.getLong("version"),
                instant(rs, "updated_at"));
    }
}

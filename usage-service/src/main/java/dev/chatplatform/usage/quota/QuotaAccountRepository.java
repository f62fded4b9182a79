package dev.chatplatform.usage.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

@Repository
class QuotaAccountRepository {

    private final JdbcClient jdbc;

    QuotaAccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes sure the account exists (on {@code defaultTier} when new). */
    void ensure(String accountId, String defaultTier) {
        jdbc.sql("""
                        insert into quota_accounts (account_id, tier, tier_source) values (:id, :tier, 'default')
                        on conflict (account_id) do nothing""")
                .param("id", accountId).param("tier", defaultTier).update();
    }

    Optional<QuotaAccount> find(String accountId) {
        return jdbc.sql("select account_id, tier, email, time_zone, monthly_anchor_day from quota_accounts where account_id = :id")
                .param("id", accountId)
                .query((rs, i) -> new QuotaAccount(rs.getString("account_id"), rs.getString("tier"), rs.getString("email"),
                        ZoneId.of(rs.getString("time_zone")), rs.getInt("monthly_anchor_day")))
                .optional();
    }

    /** Applies a subscription's tier when its version is newer than the last one applied; true when it changed state. */
    boolean applySubscription(String accountId, String tier, long version) {
        return jdbc.sql("""
                        insert into quota_accounts (account_id, tier, tier_source, subscription_version)
                        values (:id, :tier, 'subscription', :version)
                        on conflict (account_id) do update set tier = excluded.tier, tier_source = 'subscription',
                            subscription_version = excluded.subscription_version, updated_at = now()
                        where quota_accounts.subscription_version < excluded.subscription_version""")
                .param("id", accountId).param("tier", tier).param("version", version).update() == 1;
    }

    /**
     * Applies an account's e-mail, and its tier unless a subscription has set the tier, when the version is newer
     * than the last one applied; true when it changed state.
     */
    boolean applyAccount(String accountId, String tier, String email, long version) {
        return jdbc.sql("""
                        insert into quota_accounts (account_id, tier, tier_source, account_version, email)
                        values (:id, :tier, 'account', :version, :email)
                        on conflict (account_id) do update set
                            tier = case when quota_accounts.tier_source = 'subscription' then quota_accounts.tier
                                        else excluded.tier end,
                            tier_source = case when quota_accounts.tier_source = 'subscription' then 'subscription'
                                               else 'account' end,
                            email = excluded.email, account_version = excluded.account_version, updated_at = now()
                        where quota_accounts.account_version < excluded.account_version""")
                .param("id", accountId).param("tier", tier).param("version", version).param("email", email)
                .update() == 1;
    }

    void setAnchor(String accountId, ZoneId zone, int monthlyAnchorDay) {
        jdbc.sql("update quota_accounts set time_zone = :zone, monthly_anchor_day = :day, updated_at = now() where account_id = :id")
                .param("zone", zone.getId()).param("day", monthlyAnchorDay).param("id", accountId).update();
    }

    List<String> accountsOnTier(String tier) {
        return jdbc.sql("select account_id from quota_accounts where tier = :tier order by account_id")
                .param("tier", tier).query(String.class).list();
    }
}

package dev.chatplatform.usage.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.chatplatform.usage.quota.Sql.instant;
import static dev.chatplatform.usage.quota.Sql.ts;

/** The leases table: one row per block of budget leased to a chat-service instance. */
@Repository
class LeaseRepository {

    private final JdbcClient jdbc;

    LeaseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String accountId, String holder, Periods p, LedgerRepository.Leased leased,
                Instant expiresAt) {
        jdbc.sql("""
                        insert into leases (id, account_id, holder, month_start, day_start, messages, tokens,
                            cost_micro_usd, status, expires_at)
                        values (:id, :accountId, :holder, :ms, :ds, :messages, :tokens, :cost, 'open', :expiresAt)""")
                .param("id", id).param("accountId", accountId).param("holder", holder)
                .param("ms", ts(p.monthStart())).param("ds", ts(p.dayStart()))
                .param("messages", leased.messages()).param("tokens", leased.tokens())
                .param("cost", leased.costMicroUsd()).param("expiresAt", ts(expiresAt))
                .update();
    }

    Optional<Lease> find(String accountId, String id) {
        return jdbc.sql("select * from leases where id = :id and account_id = :accountId")
                .param("id", id).param("accountId", accountId).query(LeaseRepository::map).optional();
    }

    /**
     * Closes a lease its holder gives back (open, revoked, or expired because the holder was late); empty when it
     * is not the account's or was returned already. The row stays locked until the transaction ends.
     */
    Optional<Lease> markReturned(String accountId, String id) {
        return jdbc.sql("""
                        update leases set status = 'returned', closed_at = now()
                        where id = :id and account_id = :accountId and status in ('open', 'revoked', 'expired')
                        returning *""")
                .param("id", id).param("accountId", accountId).query(LeaseRepository::map).optional();
    }

    /** Marks the account's open leases revoked (its tier changed); returns how many. */
    int revokeOpen(String accountId) {
        return jdbc.sql("update leases set status = 'revoked' where account_id = :accountId and status = 'open'")
                .param("accountId", accountId).update();
    }

    /**
     * Marks leases not returned {@code grace} after their expiry as expired (their holder is gone); their block
     * stays in the lease pool until {@link #quietAccounts} lets it go.
     */
    int expireDue(Duration grace) {
        return jdbc.sql("""
                        update leases set status = 'expired', closed_at = now()
                        where status in ('open', 'revoked') and expires_at < now() - make_interval(secs => :grace)""")
                .param("grace", grace.toMillis() / 1000.0).update();
    }

    /**
     * Accounts with something in a lease pool whose leases all ended more than {@code quiet} ago: no lease of
     * theirs is open, revoked, or ended (expired or returned) since.
     */
    List<String> quietAccounts(Duration quiet, int limit) {
        return jdbc.sql("""
                        select distinct l.account_id from quota_ledger l
                        where (l.lease_messages_held > 0 or l.lease_tokens_held > 0 or l.lease_cost_held > 0)
                          and not exists (select 1 from leases s where s.account_id = l.account_id
                                          and (s.status in ('open', 'revoked')
                                               or s.expires_at > now() - make_interval(secs => :quiet)
                                               or s.closed_at > now() - make_interval(secs => :quiet)))
                        limit :limit""")
                .param("quiet", quiet.toMillis() / 1000.0).param("limit", limit).query(String.class).list();
    }

    /** Forgets leases that ended more than {@code age} ago (nothing looks at them any more). */
    int purge(Duration age) {
        return jdbc.sql("""
                        delete from leases where status in ('returned', 'expired')
                          and closed_at < now() - make_interval(secs => :age)
                          and expires_at < now() - make_interval(secs => :age)""")
                .param("age", age.toMillis() / 1000.0).update();
    }

    /** Whether a call that ended at {@code at} was made under one of the account's leases (or in their ttl after). */
    boolean covers(String accountId, Instant at, Duration callTtl) {
        return jdbc.sql("""
                        select exists (select 1 from leases where account_id = :accountId and created_at <= :at
                                       and expires_at + make_interval(secs => :ttl) >= :at)""")
                .param("accountId", accountId).param("at", ts(at)).param("ttl", callTtl.toMillis() / 1000.0)
                .query(Boolean.class).single();
    }

    private static Lease map(ResultSet rs, int row) throws SQLException {
        return new Lease(rs.getString("id"), rs.getString("account_id"), rs.getString("holder"),
                instant(rs, "month_start"), instant(rs, "day_start"), rs.getLong("messages"), rs.getLong("tokens"),
                rs.getLong("cost_micro_usd"), rs.getString("status"), instant(rs, "expires_at"), null, List.of());
    }
}

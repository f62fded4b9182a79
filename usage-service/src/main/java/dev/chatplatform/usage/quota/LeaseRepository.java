package dev.chatplatform.usage.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.chatplatform.usage.quota.Sql.instant;
import static dev.chatplatform.usage.quota.Sql.ts;

/**
 * The leases table: one row per block of budget leased to a chat-service instance, with the part of it still
 * reserved in the account's lease pool ({@code pooled_*}).
 */
@Repository
class LeaseRepository {

    /** A part of one lease's reservation in the lease pool of its period (taken out of it, or to be). */
    record Share(String accountId, Instant monthStart, Instant dayStart, long messages, long tokens, long cost) {
    }

    private final JdbcClient jdbc;

    LeaseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String accountId, String holder, Periods p, LedgerRepository.Leased leased,
                Instant expiresAt) {
        jdbc.sql("""
                        insert into leases (id, account_id, holder, month_start, day_start, messages, tokens,
                            cost_micro_usd, status, expires_at, pooled_messages, pooled_tokens, pooled_cost)
                        values (:id, :accountId, :holder, :ms, :ds, :messages, :tokens, :cost, 'open', :expiresAt,
                            :messages, :tokens, :cost)""")
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
     * Closes a lease its holder gives back (open, revoked, or expired because the holder was late) with what its
     * requests consumed, and takes what was leased and not consumed out of its pooled part (at most what is pooled:
     * usage events naming it have taken theirs already); returns that part, to be released from the pool. Empty
     * when the lease is not the account's or was returned already.
     */
    Optional<Share> markReturned(String accountId, String id, long messages, long tokens, long cost) {
        return jdbc.sql("""
                        with l as (
                            select id, least(pooled_messages, greatest(messages - :messages, 0)) as m,
                                   least(pooled_tokens, greatest(tokens - :tokens, 0)) as t,
                                   least(pooled_cost, greatest(cost_micro_usd - :cost, 0)) as c
                            from leases where id = :id and account_id = :accountId
                                and status in ('open', 'revoked', 'expired')
                            for update
                        )
                        update leases s set status = 'returned', closed_at = now(), pooled_messages = pooled_messages - l.m,
                            pooled_tokens = pooled_tokens - l.t, pooled_cost = pooled_cost - l.c
                        from l where s.id = l.id
                        returning s.account_id, s.month_start, s.day_start, l.m, l.t, l.c""")
                .param("id", id).param("accountId", accountId).param("messages", messages)
                .param("tokens", tokens).param("cost", cost)
                .query(LeaseRepository::share).optional();
    }

    /**
     * Takes a request's usage out of the pooled part of the account's lease it drew from (at most what is pooled);
     * returns what was taken, to be taken out of the pool. Empty when the account has no such lease (it was
     * forgotten long ago, or the id is another account's): the usage then takes nothing from any pool.
     */
    Optional<Share> take(String accountId, String id, long messages, long tokens, long cost) {
        return jdbc.sql("""
                        with l as (
                            select id, least(pooled_messages, :messages) as m, least(pooled_tokens, :tokens) as t,
                                   least(pooled_cost, :cost) as c
                            from leases where id = :id and account_id = :accountId for update
                        )
                        update leases s set pooled_messages = pooled_messages - l.m,
                            pooled_tokens = pooled_tokens - l.t, pooled_cost = pooled_cost - l.c
                        from l where s.id = l.id
                        returning s.account_id, s.month_start, s.day_start, l.m, l.t, l.c""")
                .param("id", id).param("accountId", accountId).param("messages", Math.max(0, messages))
                .param("tokens", Math.max(0, tokens)).param("cost", Math.max(0, cost))
                .query(LeaseRepository::share).optional();
    }

    /** Marks the account's open leases revoked (its tier changed); returns how many. */
    int revokeOpen(String accountId) {
        return jdbc.sql("update leases set status = 'revoked' where account_id = :accountId and status = 'open'")
                .param("accountId", accountId).update();
    }

    /**
     * Marks leases not returned {@code grace} after their expiry as expired (their holder is gone); their pooled
     * part stays in the lease pool until {@link #releaseEnded} lets it go.
     */
    int expireDue(Duration grace) {
        return jdbc.sql("""
                        update leases set status = 'expired', closed_at = now()
                        where status in ('open', 'revoked') and expires_at < now() - make_interval(secs => :grace)""")
                .param("grace", grace.toMillis() / 1000.0).update();
    }

    /**
     * Claims up to {@code limit} leases that ended (returned or expired) more than {@code quiet} ago with something
     * still pooled, and sets their pooled part to zero; returns those parts, to be released from the pool.
     * {@code skip locked} shares them between the replicas' sweeps.
     */
    List<Share> releaseEnded(Duration quiet, int limit) {
        return jdbc.sql("""
                        with due as (
                            select id, pooled_messages as m, pooled_tokens as t, pooled_cost as c from leases
                            where (pooled_messages > 0 or pooled_tokens > 0 or pooled_cost > 0)
                              and status in ('returned', 'expired') and closed_at < now() - make_interval(secs => :quiet)
                            order by closed_at limit :limit for update skip locked
                        )
                        update leases s set pooled_messages = 0, pooled_tokens = 0, pooled_cost = 0
                        from due where s.id = due.id
                        returning s.account_id, s.month_start, s.day_start, due.m, due.t, due.c""")
                .param("quiet", quiet.toMillis() / 1000.0).param("limit", limit).query(LeaseRepository::share).list();
    }

    /** Forgets leases that ended more than {@code age} ago (nothing looks at them any more). */
    int purge(Duration age) {
        return jdbc.sql("""
                        delete from leases where status in ('returned', 'expired')
                          and pooled_messages = 0 and pooled_tokens = 0 and pooled_cost = 0
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

    private static Share share(ResultSet rs, int row) throws SQLException {
        return new Share(rs.getString("account_id"), instant(rs, "month_start"), instant(rs, "day_start"),
                rs.getLong("m"), rs.getLong("t"), rs.getLong("c"));
    }

    private static Lease map(ResultSet rs, int row) throws SQLException {
        return new Lease(rs.getString("id"), rs.getString("account_id"), rs.getString("holder"),
                instant(rs, "month_start"), instant(rs, "day_start"), rs.getLong("messages"), rs.getLong("tokens"),
                rs.getLong("cost_micro_usd"), rs.getString("status"), instant(rs, "expires_at"), null, List.of(),
                Map.of());
    }
}

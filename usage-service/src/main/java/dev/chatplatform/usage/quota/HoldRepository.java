package dev.chatplatform.usage.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.chatplatform.usage.quota.Sql.instant;
import static dev.chatplatform.usage.quota.Sql.ts;

@Repository
class HoldRepository {

    private final JdbcClient jdbc;

    HoldRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims (account, request id) for a new hold, as {@code pending}; false when a hold for it exists already.
     * A concurrent claim of the same request waits for this transaction and then finds the row.
     */
    boolean claim(String id, PlaceHold c, Periods p, Duration ttl) {
        return jdbc.sql("""
                        insert into holds (id, account_id, request_id, model, month_start, day_start,
                            granted_max_tokens, held_tokens, held_cost_micro_usd, status, expires_at, api_key_id, streamed)
                        values (:id, :accountId, :requestId, :model, :ms, :ds, 0, 0, 0, 'pending',
                            now() + make_interval(secs => :ttl), :apiKeyId, :streamed)
                        on conflict (account_id, request_id) do nothing""")
                .param("id", id).param("accountId", c.accountId()).param("requestId", c.requestId())
                .param("model", c.model()).param("apiKeyId", c.apiKeyId()).param("streamed", c.streamed())
                .param("ms", ts(p.monthStart())).param("ds", ts(p.dayStart()))
                .param("ttl", ttl.toMillis() / 1000.0)
                .update() == 1;
    }

    Hold open(String id, long granted, long tokens, long cost) {
        return jdbc.sql("""
                        update holds set status = 'held', granted_max_tokens = :granted, held_tokens = :tokens,
                            held_cost_micro_usd = :cost
                        where id = :id returning *""")
                .param("id", id).param("granted", granted).param("tokens", tokens).param("cost", cost)
                .query(HoldRepository::map).single();
    }

    Optional<Hold> find(String accountId, String id) {
        return jdbc.sql("select * from holds where id = :id and account_id = :accountId")
                .param("id", id).param("accountId", accountId).query(HoldRepository::map).optional();
    }

    Optional<Hold> findByRequest(String accountId, String requestId) {
        return jdbc.sql("select * from holds where account_id = :accountId and request_id = :requestId")
                .param("accountId", accountId).param("requestId", requestId).query(HoldRepository::map).optional();
    }

    /** The request's hold, locked until the transaction ends (the sweep skips it meanwhile); empty when none. */
    Optional<Hold> lockByRequest(String accountId, String requestId) {
        return jdbc.sql("select * from holds where account_id = :accountId and request_id = :requestId for update")
                .param("accountId", accountId).param("requestId", requestId).query(HoldRepository::map).optional();
    }

    /**
     * Marks an expired hold as billed by usage-service, unless it was already, or the request's usage event (with
     * id {@code eventId}) has been metered since; false then, and nothing is to be published.
     */
    boolean markBilledFromProvider(String id, String eventId) {
        return jdbc.sql("""
                        update holds set billed_from_provider_at = now()
                        where id = :id and status = 'expired' and billed_from_provider_at is null
                          and not exists (select 1 from usage_records where event_id = :eventId)""")
                .param("id", id).param("eventId", eventId).update() == 1;
    }

    /** Closes the account's open hold {@code id}; empty when it is not open (closed already, or not there). */
    Optional<Hold> closeById(String accountId, String id, String status) {
        return jdbc.sql("""
                        update holds set status = :status, closed_at = now()
                        where id = :id and account_id = :accountId and status = 'held' returning *""")
                .param("status", status).param("id", id).param("accountId", accountId)
                .query(HoldRepository::map).optional();
    }

    /** Settles the open hold of a request; empty when there is none (never placed, released or expired). */
    Optional<Hold> settleByRequest(String accountId, String requestId) {
        return jdbc.sql("""
                        update holds set status = 'settled', closed_at = now()
                        where account_id = :accountId and request_id = :requestId and status = 'held' returning *""")
                .param("accountId", accountId).param("requestId", requestId)
                .query(HoldRepository::map).optional();
    }

    /**
     * Expires up to {@code limit} holds past their expiry. {@code skip locked} lets sweeps on several replicas
     * share the work, and the {@code status = 'held'} guard loses cleanly against a concurrent settle or release.
     */
    List<Hold> expireDue(int limit) {
        return jdbc.sql("""
                        update holds h set status = 'expired', closed_at = now()
                        from (select id from holds where status = 'held' and expires_at < now()
                              order by expires_at limit :limit for update skip locked) due
                        where h.id = due.id and h.status = 'held'
                        returning h.*""")
                .param("limit", limit).query(HoldRepository::map).list();
    }

    private static Hold map(ResultSet rs, int row) throws SQLException {
        return new Hold(rs.getString("id"), rs.getString("account_id"), rs.getString("request_id"),
                rs.getString("model"), instant(rs, "month_start"), instant(rs, "day_start"),
                rs.getLong("granted_max_tokens"), rs.getLong("held_tokens"), rs.getLong("held_cost_micro_usd"),
                rs.getString("status"), instant(rs, "created_at"), instant(rs, "expires_at"), rs.getString("api_key_id"),
                rs.getBoolean("streamed"));
    }
}

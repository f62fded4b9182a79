package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
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

/** provider-service's record of the billed call of each request whose hold is open (table provider_calls). */
@Repository
class ProviderCallRepository {

    /** One stored call: what the request's usage event says when usage-service writes it. */
    record ProviderCall(String accountId, String requestId, String model, String provider,
                        LlmCallRecorded.Outcome outcome, long inputTokens, long cachedInputTokens, long outputTokens, long costMicroUsd, boolean estimated, long latencyMs,
                        Long timeToFirstTokenMs, Instant occurredAt) {
    }

    private final JdbcClient jdbc;

    ProviderCallRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the call; a replayed record (same account and request) changes nothing. */
    void insert(LlmCallRecorded c) {
        jdbc.sql("""
                        insert into provider_calls (account_id, request_id, attempt, model, provider, outcome,
                            input_tokens, cached_input_tokens, output_tokens, cost_micro_usd, estimated, latency_ms,
                            time_to_first_token_ms, occurred_at)
                        values (:accountId, :requestId, :attempt, :model, :provider, :outcome, :input, :cached, :output,
                            :cost, :estimated, :latency, :ttft, :occurredAt)
                        on conflict (account_id, request_id) do nothing""")
                .param("accountId", c.accountId()).param("requestId", c.requestId()).param("attempt", c.attempt()).param("model", c.model())
                .param("provider", c.provider()).param("outcome", c.outcome().name())
                .param("input", c.inputTokens()).param("cached", c.cachedInputTokens())
                .param("output", c.outputTokens()).param("cost", c.costMicroUsd()).param("estimated", c.estimated())
                .param("latency", c.latencyMs()).param("ttft", c.timeToFirstTokenMs())
                .param("occurredAt", ts(c.occurredAt()))
                .update();
    }

    Optional<ProviderCall> find(String accountId, String requestId) {
        return jdbc.sql("select * from provider_calls where account_id = :accountId and request_id = :requestId")
                .param("accountId", accountId).param("requestId", requestId)
                .query(ProviderCallRepository::map).optional();
    }

    /**
     * Claims up to {@code limit} calls of requests without a hold (made under a lease) that ended more than
     * {@code age} ago and were not billed yet, marking them billed; {@code skip locked} shares them between the
     * replicas' sweeps. The caller bills those no usage event was metered for.
     */
    List<ProviderCall> claimUnbilledLeaseCalls(Duration age, int limit) {
        return jdbc.sql("""
                        update provider_calls c set billed_at = now()
                        from (select account_id, request_id from provider_calls p
                              where billed_at is null and occurred_at < now() - make_interval(secs => :age)
                                and not exists (select 1 from holds h
                                                where h.account_id = p.account_id and h.request_id = p.request_id)
                              order by occurred_at limit :limit for update skip locked) due
                        where c.account_id = due.account_id and c.request_id = due.request_id
                        returning c.*""")
                .param("age", age.toMillis() / 1000.0).param("limit", limit)
                .query(ProviderCallRepository::map).list();
    }

    /** Forgets calls that ended more than {@code age} ago (their holds were settled, released or expired since). */
    int purge(Duration age) {
        return jdbc.sql("delete from provider_calls where occurred_at < now() - make_interval(secs => :age)")
                .param("age", age.toMillis() / 1000.0).update();
    }

    private static ProviderCall map(ResultSet rs, int row) throws SQLException {
        Long ttft = rs.getObject("time_to_first_token_ms", Long.class);
        return new ProviderCall(rs.getString("account_id"), rs.getString("request_id"), rs.getString("model"),
                rs.getString("provider"), LlmCallRecorded.Outcome.valueOf(rs.getString("outcome")),
                rs.getLong("input_tokens"), rs.getLong("cached_input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cost_micro_usd"), rs.getBoolean("estimated"), rs.getLong("latency_ms"),
                ttft, instant(rs, "occurred_at"));
    }
}

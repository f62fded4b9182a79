package dev.chatplatform.analytics.ingest;

import dev.chatplatform.analytics.rollup.LatencyBuckets;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.usage.UsageRecorded;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Additive upserts ({@code x = x + excluded.x}): commutative, so consumers on different partitions (and
 * replicas) can apply events in any order; a transaction only locks the few rows of its own event.
 */
@Repository
class RollupRepository {

    private final JdbcClient jdbc;

    RollupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void countEvent(LocalDate day, String topic, String type) {
        jdbc.sql("""
                        insert into event_counts_daily (day, topic, event_type, events) values (:day, :topic, :type, 1)
                        on conflict (day, topic, event_type) do update set events = event_counts_daily.events + 1""")
                .param("day", day).param("topic", topic).param("type", type)
                .update();
    }

    void addUsage(LocalDate day, UsageRecorded u) {
        jdbc.sql("""
                        insert into usage_daily (day, account_id, model, provider, outcome, requests, input_tokens,
                            cached_input_tokens, output_tokens, cost_micro_usd, streamed_requests, estimated_requests)
                        values (:day, :account, :model, :provider, :outcome, 1, :input, :cached, :output, :cost,
                            :streamed, :estimated)
                        on conflict (day, account_id, model, provider, outcome) do update set
                            requests = usage_daily.requests + 1,
                            input_tokens = usage_daily.input_tokens + excluded.input_tokens,
                            cached_input_tokens = usage_daily.cached_input_tokens + excluded.cached_input_tokens,
                            output_tokens = usage_daily.output_tokens + excluded.output_tokens,
                            cost_micro_usd = usage_daily.cost_micro_usd + excluded.cost_micro_usd,
                            streamed_requests = usage_daily.streamed_requests + excluded.streamed_requests,
                            estimated_requests = usage_daily.estimated_requests + excluded.estimated_requests""")
                .param("day", day).param("account", u.accountId()).param("model", u.model())
                .param("provider", u.provider()).param("outcome", u.outcome().name())
                .param("input", u.inputTokens()).param("cached", u.cachedInputTokens())
                .param("output", u.outputTokens()).param("cost", u.costMicroUsd())
                .param("streamed", u.streamed() ? 1 : 0).param("estimated", u.estimated() ? 1 : 0)
                .update();
        addLatency(day, u, "latency", u.latencyMs());
        if (u.timeToFirstTokenMs() != null) {
            addLatency(day, u, "ttft", u.timeToFirstTokenMs());
        }
        jdbc.sql("insert into active_accounts_daily (day, account_id) values (:day, :account) on conflict do nothing")
                .param("day", day).param("account", u.accountId())
                .update();
    }

    private void addLatency(LocalDate day, UsageRecorded u, String metric, long millis) {
        jdbc.sql("""
                        insert into latency_histogram_daily (day, account_id, model, provider, metric, bucket, requests)
                        values (:day, :account, :model, :provider, :metric, :bucket, 1)
                        on conflict (day, account_id, model, provider, metric, bucket) do update set
                            requests = latency_histogram_daily.requests + 1""")
                .param("day", day).param("account", u.accountId()).param("model", u.model())
                .param("provider", u.provider()).param("metric", metric)
                .param("bucket", LatencyBuckets.bucketOf(millis))
                .update();
    }

    /** The tier of the newest version seen of an account, locking its row, if any. */
    Optional<AccountVersion> lockAccount(String accountId) {
        return jdbc.sql("select tier, version from account_snapshots where account_id = :id for update")
                .param("id", accountId)
                .query((rs, n) -> new AccountVersion(rs.getString("tier"), rs.getLong("version")))
                .optional();
    }

    void saveAccount(AccountChanged a) {
        jdbc.sql("""
                        insert into account_snapshots (account_id, tier, status, version, changed_at)
                        values (:id, :tier, :status, :version, :changedAt)
                        on conflict (account_id) do update set tier = excluded.tier, status = excluded.status,
                            version = excluded.version, changed_at = excluded.changed_at
                        where account_snapshots.version < excluded.version""")
                .param("id", a.accountId()).param("tier", a.tier()).param("status", a.status())
                .param("version", a.version()).param("changedAt", Timestamp.from(a.changedAt()))
                .update();
    }

    void markAccountDeleted(String accountId) {
        jdbc.sql("update account_snapshots set status = 'deleted' where account_id = :id")
                .param("id", accountId)
                .update();
    }

    void addConversion(AccountChanged a, String fromTier, LocalDate day) {
        jdbc.sql("""
                        insert into tier_conversions (account_id, version, from_tier, to_tier, day)
                        values (:id, :version, :from, :to, :day) on conflict do nothing""")
                .param("id", a.accountId()).param("version", a.version()).param("from", fromTier)
                .param("to", a.tier()).param("day", day)
                .update();
    }

    record AccountVersion(String tier, long version) {
    }
}

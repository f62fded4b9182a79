package dev.chatplatform.billing.metering;

import dev.chatplatform.contracts.usage.UsageRecorded;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Repository
class MeteringRepository {

    record Unbatched(String eventId, UUID accountId, String customerId, long tokens, Instant occurredAt) {
    }

    record Batch(String id, String customerId, long value, Instant occurredAt, boolean reported) {
    }

    private final JdbcClient jdbc;

    MeteringRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean record(String eventId, String accountId, long tokens, UsageRecorded.Kind kind, Instant occurredAt) {
        return jdbc.sql("insert into metered_usage (event_id, account_id, tokens, kind, occurred_at) "
                        + "values (:id, :account, :tokens, :kind, :at) on conflict (event_id) do nothing")
                .param("id", eventId).param("account", accountId).param("tokens", tokens).param("kind", kind.name())
                .param("at", Timestamp.from(occurredAt)).update() == 1;
    }

    /**
     * Chat usage not yet in a batch, of accounts that have a Stripe customer, locked. Embeddings usage is not reported
     * on the chat tokens meter: its tokens cost a small fraction of a chat token's, so the meter's one price would
     * overcharge them; it stays recorded and counted (reconciliation's {@code embeddingTokens}).
     */
    List<Unbatched> lockUnbatched(int limit) {
        return jdbc.sql("""
                        select u.event_id, a.id, a.stripe_customer_id, u.tokens, u.occurred_at
                        from metered_usage u join accounts a on a.id::text = u.account_id
                        where u.batch_id is null and u.kind = 'CHAT' and a.stripe_customer_id is not null
                        order by u.occurred_at limit :limit for update of u skip locked""")
                .param("limit", limit)
                .query((rs, i) -> new Unbatched(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getLong(4), rs.getTimestamp(5).toInstant()))
                .list();
    }

    void createBatch(String id, UUID accountId, String customerId, long value, int count, Instant occurredAt,
                     List<String> eventIds) {
        jdbc.sql("insert into meter_batches (id, account_id, customer_id, value, event_count, occurred_at) "
                        + "values (:id, :account, :customer, :value, :count, :at) on conflict (id) do nothing")
                .param("id", id).param("account", accountId).param("customer", customerId).param("value", value)
                .param("count", count).param("at", Timestamp.from(occurredAt)).update();
        jdbc.sql("update metered_usage set batch_id = :id where event_id in (:ids)")
                .param("id", id).param("ids", eventIds).update();
    }

    Optional<Batch> findBatch(String id) {
        return jdbc.sql("select id, customer_id, value, occurred_at, reported_at is not null from meter_batches where id = :id")
                .param("id", id)
                .query((rs, i) -> new Batch(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getBoolean(5)))
                .optional();
    }

    void reported(String id) {
        jdbc.sql("update meter_batches set reported_at = now() where id = :id and reported_at is null").param("id", id).update();
    }

    List<ReconciliationResponse.Line> reconcile(Instant from, Instant to) {
        return jdbc.sql("""
                        select u.account_id,
                               count(*) filter (where u.kind = 'CHAT') as events,
                               coalesce(sum(u.tokens) filter (where u.kind = 'CHAT'), 0) as metered,
                               coalesce(sum(u.tokens) filter (where b.reported_at is not null), 0) as reported,
                               count(*) filter (where b.reported_at is not null) as reported_events,
                               count(*) filter (where u.kind = 'EMBEDDINGS') as embedding_events,
                               coalesce(sum(u.tokens) filter (where u.kind = 'EMBEDDINGS'), 0) as embedding_tokens
                        from metered_usage u left join meter_batches b on b.id = u.batch_id
                        where u.occurred_at >= :from and u.occurred_at < :to
                        group by u.account_id order by u.account_id""")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, i) -> new ReconciliationResponse.Line(rs.getString(1), rs.getLong(2), rs.getLong(5),
                        rs.getLong(3), rs.getLong(4), rs.getLong(3) - rs.getLong(4), rs.getLong(6), rs.getLong(7)))
                .list();
    }
}

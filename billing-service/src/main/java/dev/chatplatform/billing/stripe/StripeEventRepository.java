package dev.chatplatform.billing.stripe;

import dev.chatplatform.kit.jobs.Jobs;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Repository
class StripeEventRepository {

    record StoredEvent(String id, String type, long created, String payload) {
    }

    /** A received event as listed, with its outcome (for an unprocessed one: read from its job's row). */
    record ListedEvent(String id, String type, Instant created, Instant receivedAt, int deliveries,
                       Instant processedAt, WebhookOutcome outcome) {
    }

    private final JdbcClient jdbc;

    StripeEventRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the event; false when its id was stored before (a duplicate delivery), counting the delivery. */
    boolean store(String id, String type, long created, String payload) {
        boolean inserted = jdbc.sql("insert into stripe_events (id, type, created, payload) values (:id, :type, :created, :payload) "
                        + "on conflict (id) do nothing")
                .param("id", id).param("type", type).param("created", created).param("payload", payload).update() == 1;
        if (!inserted) {
            jdbc.sql("update stripe_events set deliveries = deliveries + 1 where id = :id").param("id", id).update();
        }
        return inserted;
    }

    /** The event, locked for processing, unless it was processed already (or was never stored). */
    Optional<StoredEvent> lockUnprocessed(String id) {
        return jdbc.sql("select id, type, created, payload from stripe_events where id = :id and processed_at is null for update")
                .param("id", id)
                .query((rs, i) -> new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .optional();
    }

    void processed(String id, WebhookOutcome outcome) {
        jdbc.sql("update stripe_events set processed_at = now(), outcome = :outcome where id = :id")
                .param("id", id).param("outcome", outcome.wireName()).update();
    }

    boolean exists(String id) {
        return jdbc.sql("select count(*) from stripe_events where id = :id").param("id", id).query(Long.class).single() > 0;
    }

    /**
     * Received events, newest first (by the time billing stored them, then id), of one type and outcome when those
     * are given, after (older than) the event {@code afterId} when given. An unprocessed event's outcome is its job's
     * state: parked ({@link Jobs#PARKED}) is failed, failed before is retrying, else pending.
     */
    List<ListedEvent> list(String type, WebhookOutcome outcome, String afterId, String jobKind, int limit) {
        var statement = jdbc.sql("select * from (select e.id, e.type, e.created, e.received_at, e.deliveries, e.processed_at, "
                        + "case when e.outcome is not null then upper(e.outcome) "
                        + "when t.execution_time >= :parked then 'FAILED' "
                        + "when t.consecutive_failures > 0 then 'RETRYING' else 'PENDING' end as outcome "
                        + "from stripe_events e left join scheduled_tasks t on t.task_name = :kind and t.task_instance = e.id"
                        + (type == null ? "" : " where e.type = :type") + ") listed where true"
                        + (outcome == null ? "" : " and outcome = :outcome")
                        + (afterId == null ? "" : " and (received_at, id) < (select received_at, id from stripe_events where id = :after)")
                        + " order by received_at desc, id desc limit :limit")
                .param("kind", jobKind).param("parked", Timestamp.from(Jobs.PARKED)).param("limit", limit);
        if (type != null) {
            statement = statement.param("type", type);
        }
        if (outcome != null) {
            statement = statement.param("outcome", outcome.name());
        }
        if (afterId != null) {
            statement = statement.param("after", afterId);
        }
        return statement.query((rs, i) -> {
            Timestamp processed = rs.getTimestamp("processed_at");
            return new ListedEvent(rs.getString("id"), rs.getString("type"), Instant.ofEpochSecond(rs.getLong("created")),
                    rs.getTimestamp("received_at").toInstant(), rs.getInt("deliveries"),
                    processed == null ? null : processed.toInstant(), WebhookOutcome.valueOf(rs.getString("outcome")));
        }).list();
    }
}

package dev.chatplatform.billing.stripe;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;

@Repository
class StripeEventRepository {

    record StoredEvent(String id, String type, long created, String payload, int attempts) {
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

    /** The oldest due unprocessed event, locked (other replicas skip it). */
    Optional<StoredEvent> lockNext() {
        return jdbc.sql("select id, type, created, payload, attempts from stripe_events where processed_at is null "
                        + "and next_attempt_at <= now() order by created, received_at limit 1 for update skip locked")
                .query((rs, i) -> new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getInt(5)))
                .optional();
    }

    void processed(String id) {
        jdbc.sql("update stripe_events set processed_at = now(), attempts = attempts + 1, last_error = null where id = :id")
                .param("id", id).update();
    }

    void retryLater(String id, int attempts, long delaySeconds, String error) {
        jdbc.sql("update stripe_events set attempts = :a, last_error = :e, next_attempt_at = now() + make_interval(secs => :d) "
                        + "where id = :id")
                .param("id", id).param("a", attempts).param("e", error).param("d", delaySeconds).update();
    }
}

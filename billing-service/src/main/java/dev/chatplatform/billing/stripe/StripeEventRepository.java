package dev.chatplatform.billing.stripe;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;

@Repository
class StripeEventRepository {

    record StoredEvent(String id, String type, long created, String payload) {
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

    void processed(String id) {
        jdbc.sql("update stripe_events set processed_at = now() where id = :id").param("id", id).update();
    }
}

package dev.chatplatform.kit.events;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Remembers which events a consumer has applied. Call {@link #firstTime} in the same transaction as the
 * event's effect: a redelivered event then finds its row and its effect is skipped, and a crash before
 * commit loses both the row and the effect, so the redelivery applies it.
 */
public class ProcessedEvents {

    private final JdbcClient jdbc;

    ProcessedEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that {@code consumer} applies {@code eventId}; false when it already has. */
    public boolean firstTime(String consumer, String eventId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("ProcessedEvents.firstTime must run in the transaction that applies the event");
        }
        return jdbc.sql("""
                        insert into processed_events (consumer, event_id) values (:consumer, :id)
                        on conflict do nothing""")
                .param("consumer", consumer)
                .param("id", eventId)
                .update() == 1;
    }
}

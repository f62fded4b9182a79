package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import java.util.function.Supplier;

/**
 * Enqueues an event in the caller's database transaction; {@link OutboxRelay} sends it to Kafka after
 * the commit. Never {@code save()} then {@code send()}: either the state change and its event both
 * happen, or neither does.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Supplier<String> traceparent;
    private final Runnable afterCommit;

    Outbox(JdbcClient jdbc, JsonMapper json, Supplier<String> traceparent, Runnable afterCommit) {
        this.jdbc = jdbc;
        this.json = json;
        this.traceparent = traceparent;
        this.afterCommit = afterCommit;
    }

    /**
     * Enqueues one event. Must run inside a transaction.
     *
     * @param type    the event type (gives the topic and the logical type name)
     * @param cause   what caused the event (a request id, an entity id and version): the event id is
     *                derived from it, so enqueueing the same cause twice enqueues one event
     * @param key     the Kafka record key (an account id, a key id)
     * @param subject the account the event is about (CloudEvents {@code subject})
     * @return the event id
     */
    public <T extends Record> String publish(EventType<T> type, String cause, String key, String subject, T data) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.publish must run inside the transaction that changes state");
        }
        String id = EventIds.of(type, cause);
        jdbc.sql("""
                        insert into outbox_events (id, topic, record_key, type, subject, traceparent, payload)
                        values (:id, :topic, :key, :type, :subject, :traceparent, :payload)
                        on conflict (id) do nothing""")
                .param("id", id)
                .param("topic", type.topic())
                .param("key", key)
                .param("type", type.name())
                .param("subject", subject)
                .param("traceparent", traceparent.get())
                .param("payload", json.writeValueAsString(data))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                afterCommit.run();
            }
        });
        return id;
    }
}

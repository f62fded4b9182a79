package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.kit.config.PlatformProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Enqueues an event in the caller's database transaction; {@link OutboxRelay} sends it to Kafka after
 * the commit. Never {@code save()} then {@code send()}: either the state change and its event both
 * happen, or neither does. An event with no state change to share a transaction with (a record of something that
 * happened, like an upstream call) is enqueued by {@link #publishDetached}, which does not depend on the caller's
 * thread staying alive.
 */
public class Outbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Supplier<String> traceparent;
    private final Runnable afterCommit;
    private final TransactionTemplate tx;
    private final PlatformProperties.Backoff backoff;
    private final ExecutorService detached = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("outbox-detached-", 0).factory());

    Outbox(JdbcClient jdbc, JsonMapper json, Supplier<String> traceparent, Runnable afterCommit,
           TransactionTemplate tx, PlatformProperties.Backoff backoff) {
        this.jdbc = jdbc;
        this.json = json;
        this.traceparent = traceparent;
        this.afterCommit = afterCommit;
        this.tx = tx;
        this.backoff = backoff;
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
        insert(id, type, key, subject, traceparent.get(), json.writeValueAsString(data));
        return id;
    }

    /**
     * Enqueues one event that changes no state of its own, in a transaction of its own on a thread of the outbox,
     * and returns at once. The caller's thread may be interrupted or gone (a streaming client disconnected, which
     * interrupts the request's virtual thread and with it any JDBC call on it): the event is still stored. A
     * failure that may pass (the database is away) is retried with the platform's back-off until the event is
     * stored or the service stops (then the loss is logged with the event id); the event id makes a retry that
     * did reach the database harmless.
     *
     * @return the event id (see {@link #publish})
     */
    public <T extends Record> String publishDetached(EventType<T> type, String cause, String key, String subject,
                                                     T data) {
        String id = EventIds.of(type, cause);
        String trace = traceparent.get();
        String payload = json.writeValueAsString(data);
        detached.execute(() -> storeUntilStored(id, type, key, subject, trace, payload));
        return id;
    }

    private void storeUntilStored(String id, EventType<?> type, String key, String subject, String trace,
                                  String payload) {
        Duration wait = backoff.initial();
        for (int attempt = 1; ; attempt++) {
            try {
                tx.executeWithoutResult(status -> insert(id, type, key, subject, trace, payload));
                return;
            } catch (DataIntegrityViolationException e) {
                log.error("event {} ({}) can never be stored in the outbox: {}", id, type.name(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                log.warn("storing event {} ({}) in the outbox failed (attempt {}), retrying in {}: {}", id,
                        type.name(), attempt, wait, e.toString());
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                log.error("event {} ({}) was not stored in the outbox: the service stopped while the database was away",
                        id, type.name());
                return;
            }
            wait = wait.multipliedBy(2).compareTo(backoff.max()) > 0 ? backoff.max() : wait.multipliedBy(2);
        }
    }

    private void insert(String id, EventType<?> type, String key, String subject, String trace, String payload) {
        jdbc.sql("""
                        insert into outbox_events (id, topic, record_key, type, subject, traceparent, payload)
                        values (:id, :topic, :key, :type, :subject, :traceparent, :payload)
                        on conflict (id) do nothing""")
                .param("id", id)
                .param("topic", type.topic())
                .param("key", key)
                .param("type", type.name())
                .param("subject", subject)
                .param("traceparent", trace)
                .param("payload", payload)
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                afterCommit.run();
            }
        });
    }

    /** Lets detached events still being stored finish (up to ten seconds), then stops. */
    @Override
    public void close() {
        detached.shutdown();
        try {
            if (!detached.awaitTermination(DRAIN_ON_CLOSE.toMillis(), TimeUnit.MILLISECONDS)) {
                detached.shutdownNow();
            }
        } catch (InterruptedException e) {
            detached.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

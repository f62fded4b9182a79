package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends outbox rows to Kafka in commit order and marks them published. Woken right after every commit
 * that enqueued something, and polls as a safety net. One relay at a time across all replicas holds a
 * PostgreSQL advisory lock, which keeps per-key order; a crash between send and mark re-sends, and
 * consumers drop the duplicate by event id (at-least-once + idempotent consumers = exactly-once effect).
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the relay's advisory lock. */
    private static final long RELAY_LOCK = 0x6f7574626f78L;
    private static final int BATCH = 500;
    private static final Duration RETENTION = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final KafkaTemplate<String, String> kafka;
    private final String source;
    private final Duration pollInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter published;
    private volatile boolean running;
    private Thread thread;
    private Instant lastPurge = Instant.EPOCH;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, KafkaTemplate<String, String> kafka, String source,
                Duration pollInterval, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.kafka = kafka;
        this.source = source;
        this.pollInterval = pollInterval;
        this.published = Counter.builder("outbox.events.published").register(meters);
    }

    /** Asks the relay to look at the outbox now (called after a commit that enqueued events). */
    void wakeUp() {
        wakeUp.release();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        wakeUp.release();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                int sent;
                do {
                    sent = relayBatch();
                } while (sent == BATCH && running);
                if (lastPurge.isBefore(Instant.now().minus(Duration.ofHours(1)))) {
                    purgePublishedBefore(Instant.now().minus(RETENTION));
                    lastPurge = Instant.now();
                }
                wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("outbox relay failed, retrying: {}", e.toString());
                sleepQuietly(pollInterval.multipliedBy(10));
            }
        }
    }

    /** Sends one batch; returns how many rows it published (0 when another replica holds the lock). */
    int relayBatch() {
        Integer count = tx.execute(status -> {
            Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:lock)")
                    .param("lock", RELAY_LOCK).query(Boolean.class).single();
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<Row> rows = jdbc.sql("""
                            select seq, id, topic, record_key, type, subject, traceparent, payload, created_at
                            from outbox_events where published_at is null order by seq limit :batch""")
                    .param("batch", BATCH)
                    .query((rs, i) -> new Row(rs.getLong("seq"), rs.getString("id"), rs.getString("topic"),
                            rs.getString("record_key"), rs.getString("type"), rs.getString("subject"),
                            rs.getString("traceparent"), rs.getString("payload"),
                            rs.getTimestamp("created_at").toInstant()))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<?>> sends = rows.stream().<CompletableFuture<?>>map(r -> kafka.send(toRecord(r))).toList();
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            jdbc.sql("update outbox_events set published_at = now() where seq in (:seqs)")
                    .param("seqs", rows.stream().map(Row::seq).toList())
                    .update();
            published.increment(rows.size());
            return rows.size();
        });
        return count == null ? 0 : count;
    }

    /** Deletes rows published before {@code cutoff}; the outbox is a queue, not an archive. */
    int purgePublishedBefore(Instant cutoff) {
        return jdbc.sql("delete from outbox_events where published_at < :cutoff")
                .param("cutoff", Timestamp.from(cutoff)).update();
    }

    private ProducerRecord<String, String> toRecord(Row row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
        Headers h = record.headers();
        add(h, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        add(h, CloudEventHeaders.ID, row.id());
        add(h, CloudEventHeaders.TYPE, row.type());
        add(h, CloudEventHeaders.SOURCE, source);
        add(h, CloudEventHeaders.TIME, row.createdAt().toString());
        add(h, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        if (row.subject() != null) {
            add(h, CloudEventHeaders.SUBJECT, row.subject());
        }
        if (row.traceparent() != null) {
            add(h, CloudEventHeaders.TRACEPARENT, row.traceparent());
            add(h, "traceparent", row.traceparent());
        }
        return record;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Row(long seq, String id, String topic, String key, String type, String subject,
                       String traceparent, String payload, Instant createdAt) {
    }
}

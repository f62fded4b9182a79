package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.kit.config.PlatformProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends outbox rows to Kafka in commit order and marks them published. Woken right after every commit
 * that enqueued something, and polls as a safety net. One relay at a time across all replicas holds a
 * PostgreSQL advisory lock, which keeps per-key order; a relay woken while another replica's holds it tries again
 * after {@code platform.events.backoff.initial} until it gets the lock once (the other relay's batch may have been
 * read before the commit that woke it), so no commit waits for the poll. A crash between send and mark re-sends, and
 * consumers drop the duplicate by event id (at-least-once + idempotent consumers = exactly-once effect).
 * A row Kafka refuses for good is parked with its reason ({@link #refusal}; counted in
 * {@code outbox.events.parked}, listed in the {@code outbox} health details) and the rows behind it keep flowing;
 * a failure that may pass (the broker is away) is retried with the platform's back-off.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Arbitrary constant naming the relay's advisory lock. */
    private static final long RELAY_LOCK = 0x6f7574626f78L;
    private static final int BATCH = 500;
    /** What {@link #relayBatch} answers when another replica's relay holds the lock. */
    static final int LOCKED_ELSEWHERE = -1;
    private static final Duration RETENTION = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final KafkaTemplate<String, String> kafka;
    private final String source;
    private final Duration pollInterval;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Counter published;
    private final Counter parked;
    private final PlatformProperties.Backoff backoff;
    private volatile boolean running;
    private Thread thread;
    private Instant lastPurge = Instant.EPOCH;

    OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, KafkaTemplate<String, String> kafka, String source,
                Duration pollInterval, PlatformProperties.Backoff backoff, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.kafka = kafka;
        this.source = source;
        this.pollInterval = pollInterval;
        this.backoff = backoff;
        this.published = Counter.builder("outbox.events.published").register(meters);
        this.parked = Counter.builder("outbox.events.parked")
                .description("outbox rows Kafka refused for good, parked with their reason").register(meters);
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
        Duration wait = backoff.initial();
        while (running) {
            try {
                int sent;
                do {
                    sent = relayBatch();
                } while (sent == BATCH && running);
                if (sent == LOCKED_ELSEWHERE) {
                    Thread.sleep(backoff.initial());
                    continue;
                }
                if (lastPurge.isBefore(Instant.now().minus(Duration.ofHours(1)))) {
                    purgePublishedBefore(Instant.now().minus(RETENTION));
                    lastPurge = Instant.now();
                }
                wait = backoff.initial();
                wakeUp.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("outbox relay failed, retrying in {}: {}", wait, e.toString());
                sleepQuietly(wait);
                wait = wait.multipliedBy(2).compareTo(backoff.max()) > 0 ? backoff.max() : wait.multipliedBy(2);
            }
        }
    }

    /**
     * Sends one batch; returns how many rows it took off the queue (published or parked), or
     * {@link #LOCKED_ELSEWHERE}. Each row is settled on its own: published rows are marked, rows Kafka refuses for good
     * ({@link #refusal}) are parked with their reason, so one bad row never holds up the rows behind it. Rows that
     * failed for a reason that may pass (the broker is away) stay queued and are sent again after a back-off.
     */
    int relayBatch() {
        Settled settled = tx.execute(status -> {
            Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:lock)")
                    .param("lock", RELAY_LOCK).query(Boolean.class).single();
            if (!Boolean.TRUE.equals(locked)) {
                return Settled.LOCKED;
            }
            List<Row> rows = jdbc.sql("""
                            select seq, id, topic, record_key, type, subject, traceparent, payload, created_at
                            from outbox_events where published_at is null and parked_at is null
                            order by seq limit :batch""")
                    .param("batch", BATCH)
                    .query((rs, i) -> new Row(rs.getLong("seq"), rs.getString("id"), rs.getString("topic"),
                            rs.getString("record_key"), rs.getString("type"), rs.getString("subject"),
                            rs.getString("traceparent"), rs.getString("payload"),
                            rs.getTimestamp("created_at").toInstant()))
                    .list();
            if (rows.isEmpty()) {
                return Settled.NOTHING;
            }
            Map<Row, CompletableFuture<?>> sends = new LinkedHashMap<>();
            for (Row row : rows) {
                sends.put(row, send(row));
            }
            List<Long> sent = new ArrayList<>();
            Throwable transientFailure = null;
            for (Map.Entry<Row, CompletableFuture<?>> send : sends.entrySet()) {
                Row row = send.getKey();
                try {
                    send.getValue().join();
                    sent.add(row.seq());
                } catch (CompletionException | CancellationException e) {
                    Throwable failure = e.getCause() == null ? e : e.getCause();
                    String refusal = refusal(failure);
                    if (refusal != null) {
                        park(row, refusal);
                    } else if (transientFailure == null) {
                        transientFailure = failure;
                    }
                }
            }
            if (!sent.isEmpty()) {
                jdbc.sql("update outbox_events set published_at = now() where seq in (:seqs)")
                        .param("seqs", sent).update();
                published.increment(sent.size());
            }
            return new Settled(rows.size(), transientFailure);
        });
        if (settled == null) {
            return 0;
        }
        if (settled.transientFailure() != null) {
            throw new IllegalStateException("Kafka did not take every outbox row (the rest were settled): "
                    + settled.transientFailure(), settled.transientFailure());
        }
        return settled.taken();
    }

    /** What a batch did: rows taken off the queue (published or parked), and a failure that may pass, if any. */
    private record Settled(int taken, Throwable transientFailure) {
        static final Settled NOTHING = new Settled(0, null);
        static final Settled LOCKED = new Settled(LOCKED_ELSEWHERE, null);
    }

    /** The send of one row; a topic the catalog does not know is refused before it reaches Kafka. */
    private CompletableFuture<?> send(Row row) {
        if (EventCatalog.topic(row.topic()).isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidTopicException(
                    "topic " + row.topic() + " is not in the event catalog"));
        }
        try {
            return kafka.send(toRecord(row));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Why Kafka will never take this row, or null when the failure may pass: the record is larger than the
     * producer or broker accepts, the topic is invalid or not in the catalog, the broker's ACLs forbid the write,
     * or the broker rejects the record itself. Sending it again can only fail again.
     */
    static String refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof InvalidTopicException || t instanceof TopicAuthorizationException
                    || t instanceof InvalidRecordException) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return null;
    }

    private void park(Row row, String reason) {
        jdbc.sql("update outbox_events set parked_at = now(), park_reason = :reason where seq = :seq")
                .param("reason", reason).param("seq", row.seq()).update();
        parked.increment();
        log.error("outbox row {} (id={}, topic={}, type={}) parked, Kafka will never take it: {}", row.seq(),
                row.id(), row.topic(), row.type(), reason);
    }

    /** Parked rows, for the health details: how many, and the oldest's id, topic and reason. */
    Map<String, Object> parkedRows() {
        Map<String, Object> details = new LinkedHashMap<>();
        long count = jdbc.sql("select count(*) from outbox_events where parked_at is not null")
                .query(Long.class).single();
        details.put("parked", count);
        if (count > 0) {
            jdbc.sql("""
                            select id, topic, type, park_reason, parked_at from outbox_events
                            where parked_at is not null order by seq limit 1""")
                    .query((rs, i) -> Map.of("id", rs.getString("id"), "topic", rs.getString("topic"),
                            "type", rs.getString("type"), "reason", rs.getString("park_reason"),
                            "parkedAt", rs.getTimestamp("parked_at").toInstant().toString()))
                    .optional().ifPresent(oldest -> details.put("oldestParked", oldest));
        }
        return details;
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

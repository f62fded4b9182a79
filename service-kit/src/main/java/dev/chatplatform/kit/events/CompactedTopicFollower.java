package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.EventType;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Follows a compacted topic in every replica: every replica needs every record, so the follower assigns itself all
 * partitions, without a consumer group and without committing offsets. Two uses, chosen by {@link Start}:
 * <ul>
 *   <li>{@link Start#BEGINNING}, a local view (the gateway's accounts, API keys, quotas, OIDC subjects): it reads
 *       the whole topic and keeps following it. It counts as caught up once it has reached the end offsets seen at
 *       start-up; until then readiness is DOWN ({@link #readiness}), so no replica decides on half a view.</li>
 *   <li>{@link Start#END}, changes only (chat-service's budget leases): it reads what is written after it started,
 *       and is caught up as soon as it stands at the end. After a failure it starts at the end again, so the
 *       records written meanwhile are not read: use it only where something else catches up on them.</li>
 * </ul>
 * Records are read by the kit's {@link EventReader} (so a record whose {@code ce_source} is not the topic's
 * producer is refused: only billing-service may mint a key or lift a suspension) and reported like every
 * consumer's, by {@link ConsumedEvents} as consumer {@code <service>.<name>}. A follower cannot dead-letter (every
 * replica reads every record): a record it can never apply is skipped and counted in {@code events.skipped}; the
 * topic's group consumers dead-letter it. Not an {@link EventSubscription}: a consumer group cannot give every
 * record of every partition to every replica.
 *
 * @param <T> the event the topic carries
 */
public class CompactedTopicFollower<T extends Record> implements SmartLifecycle {

    /** Where a follower starts reading. */
    public enum Start {
        /** The whole topic: a view of every key. */
        BEGINNING,
        /** What is written after the follower started: changes only. */
        END
    }

    /** Where the records go: a state record, or a tombstone (null value) for a key. */
    public interface Sink<T extends Record> {

        void apply(T state);

        void remove(String key);
    }

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicFollower.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /**
     * How long one poll waits when nothing arrives. It does not delay a change: the poll returns as soon as the
     * broker hands over a record (a revocation, a suspension, an unlink, a tier change takes effect as fast with any
     * value here), and {@link #stop} wakes it up. Long, so an idle service does not wake its followers ten times a
     * second (issue 14: idle cost).
     */
    public static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final EventType<T> type;
    private final Start start;
    private final Sink<T> sink;
    private final EventReader reader;
    private final ConsumedEvents telemetry;
    private final Supplier<Consumer<String, String>> consumers;
    private final Duration pollTimeout;
    private final String topic;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Consumer<String, String> consumer;
    private Thread thread;

    /**
     * @param service   the service's {@code spring.application.name}
     * @param name      what the follower is for ({@code quota-view}): the consumer is {@code <service>.<name>}, in
     *                  the metrics, the logs and the thread's name
     * @param consumers {@link #consumers}, or a test's consumer
     */
    public CompactedTopicFollower(String service, String name, EventType<T> type, Start start, Sink<T> sink,
                                  EventReader reader, MeterRegistry meters, Supplier<Consumer<String, String>> consumers,
                                  Duration pollTimeout) {
        this.name = service + "." + name;
        this.type = type;
        this.start = start;
        this.sink = sink;
        this.reader = reader;
        this.telemetry = new ConsumedEvents(this.name, meters);
        this.consumers = consumers;
        this.pollTimeout = pollTimeout;
        this.topic = type.topic();
    }

    /** Consumers for a follower: the application's Kafka settings, no group, no commits, a unique client id. */
    public static Supplier<Consumer<String, String>> consumers(KafkaProperties kafka, String clientIdPrefix) {
        return () -> {
            Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + UUID.randomUUID());
            return new KafkaConsumer<>(config);
        };
    }

    /**
     * True once the view holds everything the topic held when the follower started ({@link Start#BEGINNING}), or
     * once the follower stands at the topic's end ({@link Start#END}): every record written after that is read.
     */
    public boolean caughtUp() {
        return caughtUp;
    }

    public String topic() {
        return topic;
    }

    /**
     * For a readiness indicator: UP with the view's size under {@code entries} once caught up, else DOWN naming the
     * topic still being read (a replica with an incomplete view would decide on missing entries).
     */
    public Health readiness(String entries, int size) {
        return caughtUp ? Health.up().withDetail(entries, size).build()
                : Health.down().withDetail("reason", "still reading " + topic).build();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        Consumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
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

    private void run() {
        while (running) {
            try (Consumer<String, String> c = consumers.get()) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                // stop() asked us to leave
            } catch (RuntimeException e) {
                log.warn("following {} failed, starting over from the {}: {}", topic,
                        start == Start.BEGINNING ? "beginning" : "end", e.toString());
                sleep(RETRY_DELAY);
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(Consumer<String, String> c) {
        List<TopicPartition> partitions = partitions(c);
        if (partitions.isEmpty()) {
            return;
        }
        c.assign(partitions);
        if (start == Start.END) {
            c.seekToEnd(partitions);
            partitions.forEach(c::position); // the seek is lazy: take the position now, so nothing after it is missed
            caughtUp = true;
            log.info("{} follows {} from its end", name, topic);
        } else {
            c.seekToBeginning(partitions);
        }
        Map<TopicPartition, Long> endAtStart = c.endOffsets(partitions);
        while (running) {
            // checked before each poll, so an empty topic is caught up at once rather than after a poll's wait
            if (!caughtUp && endAtStart.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                caughtUp = true;
                log.info("{} caught up with {}", name, topic);
            }
            for (ConsumerRecord<String, String> record : c.poll(pollTimeout)) {
                apply(record);
            }
        }
    }

    /** The topic's partitions; empty (after a pause) while the topic does not exist yet. */
    private List<TopicPartition> partitions(Consumer<String, String> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            log.info("topic {} not found yet, waiting", topic);
            sleep(RETRY_DELAY);
            return List.of();
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                sink.remove(record.key());
                telemetry.consumed(topic, ConsumedEvents.typeOf(record), 1);
            }
            return;
        }
        try {
            sink.apply(reader.read(record, type).data());
            telemetry.consumed(topic, ConsumedEvents.typeOf(record), 1);
        } catch (UnreadableEventException e) {
            telemetry.skipped(record, e.getMessage());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

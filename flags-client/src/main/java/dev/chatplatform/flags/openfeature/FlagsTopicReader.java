package dev.chatplatform.flags.openfeature;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.Topics;
import dev.chatplatform.flags.FlagStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code flags.v1} from the beginning of every partition into a {@link FlagStore}, then follows it. It
 * uses {@code assign}, not a consumer group: nothing is committed and every instance reads every flag. It is
 * caught up once it has read up to the end offsets seen at start. Broker trouble is logged and retried; the
 * store keeps the last state meanwhile.
 */
public final class FlagsTopicReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlagsTopicReader.class);
    /**
     * How long one poll waits when nothing arrives. A flag change is applied as soon as the broker hands it over,
     * whatever this is ({@code fetch.max.wait.ms} only bounds an empty fetch), and {@link #close} wakes the poll up:
     * long, so an idle service does not wake its reader ten times a second (issue 14: idle cost).
     */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaConsumer<String, String> consumer;
    private final FlagStore store;
    private final String topic;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private Map<TopicPartition, Long> startEnd;
    private Thread thread;

    public FlagsTopicReader(String bootstrapServers, FlagStore store) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), Topics.FLAGS, store);
    }

    /**
     * @param consumerConfig Kafka consumer settings: {@code bootstrap.servers} and whatever else the application's
     *                       clients use (security, SASL credentials); a {@code group.id} is dropped, since the
     *                       reader assigns itself every partition and commits nothing
     */
    public FlagsTopicReader(Map<String, ?> consumerConfig, String topic, FlagStore store) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.putAll(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "flags-client-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        this.consumer = new KafkaConsumer<>(config);
        this.store = store;
        this.topic = topic;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("flags-reader").daemon().start(this::loop);
        }
    }

    /** Waits until everything on the topic at start has been read; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    private void loop() {
        while (running) {
            try {
                if (startEnd == null && !assign()) {
                    Thread.sleep(500);
                    continue;
                }
                // checked before each poll, so an empty topic is caught up at once rather than after a poll's wait
                if (!isCaughtUp() && startEnd.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                    log.info("flags: caught up with {} ({} flags)", topic, store.all().size());
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL_TIMEOUT)) {
                    apply(record);
                }
            } catch (WakeupException e) {
                if (running) {
                    log.debug("flags reader woken up", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("flags: reading {} failed, evaluating the last known state and retrying: {}", topic, e.toString());
                sleepQuietly();
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }

    private boolean assign() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (partitions == null || partitions.isEmpty()) {
            log.info("flags: topic {} not found yet; evaluating defaults until it exists", topic);
            return false;
        }
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        startEnd = consumer.endOffsets(tps);
        return true;
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            store.remove(record.key());
            return;
        }
        Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
        if (type == null || !FlagChanged.TYPE.name().equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        try {
            store.apply(json.readValue(record.value(), FlagChanged.class));
        } catch (RuntimeException e) {
            log.warn("flags: skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}

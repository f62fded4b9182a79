package dev.chatplatform.gateway.apikey;

import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads {@code api-keys.v1} into the {@link ApiKeyView} and keeps following it. Every replica needs every
 * key, so the follower assigns itself all partitions and reads from the beginning, without a consumer
 * group and without committing offsets. The view counts as caught up once it has reached the end offsets
 * seen at start-up; until then readiness is DOWN, so no replica authenticates against half a view.
 */
public class ApiKeyViewFollower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyViewFollower.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final ApiKeyView view;
    private final EventReader reader;
    private final Supplier<Consumer<String, String>> consumers;
    private final Duration pollTimeout;
    private final String topic = ApiKeyChanged.TYPE.topic();
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Consumer<String, String> consumer;
    private Thread thread;

    public ApiKeyViewFollower(ApiKeyView view, EventReader reader, Supplier<Consumer<String, String>> consumers,
                              Duration pollTimeout) {
        this.view = view;
        this.reader = reader;
        this.consumers = consumers;
        this.pollTimeout = pollTimeout;
    }

    /** True once the view holds everything the topic held when the gateway started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("api-key-view").daemon().start(this::run);
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
                log.warn("following {} failed, starting over from the beginning: {}", topic, e.toString());
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
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> endAtStart = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, String> record : c.poll(pollTimeout)) {
                apply(record);
            }
            if (!caughtUp && endAtStart.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                caughtUp = true;
                log.info("API key view caught up with {}: {} keys", topic, view.size());
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

    void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                view.remove(record.key());
            }
            return;
        }
        try {
            view.apply(reader.read(record, ApiKeyChanged.TYPE).data());
        } catch (UnreadableEventException e) {
            log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
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

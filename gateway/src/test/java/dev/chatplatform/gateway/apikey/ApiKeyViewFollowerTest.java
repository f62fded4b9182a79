package dev.chatplatform.gateway.apikey;

import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.ConsumedEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ApiKeyViewFollowerTest {

    private static final String TOPIC = ApiKeyChanged.TYPE.topic();
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final JsonMapper json = JsonMapper.builder().build();
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final ApiKeyView view = new ApiKeyView();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ApiKeyViewFollower follower =
            new ApiKeyViewFollower("gateway", view, new EventReader(json), meters, () -> consumer, Duration.ofMillis(10));

    @AfterEach
    void stop() {
        if (follower.isRunning()) {
            follower.stop();
        }
    }

    @Test
    void isNotCaughtUpUntilItHasReadWhatTheTopicHeldAtStartUp() {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[]{node}, new Node[]{node})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 3L));

        follower.start();
        await().until(() -> !consumer.assignment().isEmpty());
        assertThat(follower.caughtUp()).isFalse();

        consumer.schedulePollTask(() -> {
            consumer.addRecord(record(0, "k1", event(ApiKeyViewTest.key("k1", "h1", "active", 1))));
            consumer.addRecord(record(1, "k2", "{broken"));
        });
        await().until(() -> view.size() == 1);
        assertThat(follower.caughtUp()).isFalse();

        consumer.schedulePollTask(() -> consumer.addRecord(record(2, "k1", event(ApiKeyViewTest.key("k1", "h1", "revoked", 2)))));
        await().until(follower::caughtUp);
        assertThat(view.findActive("h1")).isEmpty();
    }

    @Test
    void aKeyNotMintedByBillingServiceIsRefusedAndCounted() {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[]{node}, new Node[]{node})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 2L));

        follower.start();
        await().until(() -> !consumer.assignment().isEmpty());
        ConsumerRecord<String, String> forged = record(0, "k-forged", event(ApiKeyViewTest.key("k-forged", "h-forged", "active", 1)));
        forged.headers().remove(CloudEventHeaders.SOURCE);
        header(forged, CloudEventHeaders.SOURCE, "attacker");
        consumer.schedulePollTask(() -> {
            consumer.addRecord(forged);
            consumer.addRecord(record(1, "k-real", event(ApiKeyViewTest.key("k-real", "h-real", "active", 1))));
        });

        await().until(follower::caughtUp);
        assertThat(view.findActive("h-forged")).isEmpty();
        assertThat(view.findActive("h-real")).isPresent();
        assertThat(meters.get(ConsumedEvents.SKIPPED).tag("consumer", "gateway.api-key-view").counter().count())
                .isEqualTo(1);
        assertThat(meters.get(ConsumedEvents.CONSUMED).tag("consumer", "gateway.api-key-view").counter().count())
                .isEqualTo(1);
    }

    @Test
    void anEmptyTopicIsCaughtUpAtOnce() {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[]{node}, new Node[]{node})));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 0L));

        follower.start();

        await().until(follower::caughtUp);
    }

    private String event(ApiKeyChanged key) {
        return json.writeValueAsString(key);
    }

    private static ConsumerRecord<String, String> record(long offset, String key, String value) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, offset, key, value);
        header(record, CloudEventHeaders.ID, "id-" + offset);
        header(record, CloudEventHeaders.TYPE, ApiKeyChanged.TYPE.name());
        header(record, CloudEventHeaders.SOURCE, "billing-service");
        header(record, CloudEventHeaders.TIME, "2026-01-01T00:00:00Z");
        return record;
    }

    private static void header(ConsumerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.chatplatform.kit.events;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real broker: a consumer's commits move a partition's group offset forward, never back. */
class ForwardOnlyCommitsTest {

    private static final TopicPartition PARTITION = new TopicPartition("forward-only", 0);

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, PARTITION.topic());
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @Test
    void anOffsetBelowOneAlreadyCommittedIsLeftOutAndAHigherOneGoesThrough() throws Exception {
        try (Consumer<String, String> consumer = ForwardOnlyCommits.wrap(consumer("group-1"))) {
            consumer.assign(List.of(PARTITION));

            consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(15)));
            // what Spring Kafka's timed acks did after its batch error handler had committed further
            consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(10)), Duration.ofSeconds(10));
            assertThat(committed(consumer)).isEqualTo(15);

            CompletableFuture<Exception> older = new CompletableFuture<>();
            consumer.commitAsync(Map.of(PARTITION, new OffsetAndMetadata(12)), (offsets, e) -> older.complete(e));
            assertThat(older.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(committed(consumer)).isEqualTo(15);

            CompletableFuture<Exception> newer = new CompletableFuture<>();
            consumer.commitAsync(Map.of(PARTITION, new OffsetAndMetadata(18)), (offsets, e) -> newer.complete(e));
            while (!newer.isDone()) {
                consumer.poll(Duration.ofMillis(50));   // an async commit completes in the consumer's poll
            }
            assertThat(newer.get()).isNull();
            assertThat(committed(consumer)).isEqualTo(18);

            consumer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(17)));
            assertThat(committed(consumer)).isEqualTo(18);
        }
    }

    @Test
    void aNewConsumerOfTheGroupStartsFromWhatTheGroupCommitted() {
        try (Consumer<String, String> first = ForwardOnlyCommits.wrap(consumer("group-2"))) {
            first.assign(List.of(PARTITION));
            first.commitSync(Map.of(PARTITION, new OffsetAndMetadata(9)));
        }
        // a reset made while the group was empty (the replay an operator does) is honoured by the next consumer
        try (Consumer<String, String> reset = consumer("group-2")) {
            reset.assign(List.of(PARTITION));
            reset.commitSync(Map.of(PARTITION, new OffsetAndMetadata(0)));
        }
        try (Consumer<String, String> next = ForwardOnlyCommits.wrap(consumer("group-2"))) {
            next.assign(List.of(PARTITION));
            next.commitSync(Map.of(PARTITION, new OffsetAndMetadata(3)));
            assertThat(committed(next)).isEqualTo(3);
        }
    }

    private static long committed(Consumer<String, String> consumer) {
        return consumer.committed(Set.of(PARTITION), Duration.ofSeconds(10)).get(PARTITION).offset();
    }

    private static Consumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
    }
}

package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.SharedInfrastructure;
import tools.jackson.databind.JsonNode;
import dev.chatplatform.usage.UsageIntegrationTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The proofs that can run inside usage-service. */
class QuotaProofTest extends UsageIntegrationTest {

    /** The consumer group of the ledger's subscription ({@code <service>.<purpose>}). */
    private static final String LEDGER_GROUP = "usage-service.ledger";

    private static final long PRICE = 1_000_000;   // 1 micro-USD per token

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void hundredConcurrentHoldsAgainstABudgetForTenGrantAtMostTenAndTheLedgerEqualsTheSettledUsage() throws Exception {
        String account = newAccount();
        // each request's worst case: 100 prompt + 900 output tokens = 1,000 micro-USD; the budget covers 10
        subscribe(account, newTier(1_000, 1_000_000, 10_000, List.of("*")), 1);

        List<Response> responses = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String requestId = account + "-req-" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return hold(account, requestId, "sim-1", 100, 900L, PRICE, PRICE);
                }));
            }
            start.countDown();
            for (Future<Response> f : futures) {
                responses.add(f.get());
            }
        }
        List<Response> granted = responses.stream().filter(r -> r.status() == 201).toList();
        assertThat(granted).hasSize(10);
        assertThat(responses.stream().filter(r -> r.status() == 429)
                .map(r -> r.body().at("/error/code").asString()).collect(Collectors.toSet()))
                .containsExactly("monthly_budget_exceeded");
        assertThat(responses).hasSize(100);
        assertThat(limit(account, "cost_micro_usd_per_month").get("held").asLong()).isEqualTo(10_000);

        long tokens = 0;
        long cost = 0;
        for (Response r : granted) {
            long output = ThreadLocalRandom.current().nextLong(1, r.body().get("grantedMaxTokens").asLong() + 1);
            send(usage(account, r.body().get("requestId").asString(), "sim-1", 100, output, 100 + output));
            tokens += 100 + output;
            cost += 100 + output;
        }
        long expectedTokens = tokens;
        long expectedCost = cost;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(limit(account, "cost_micro_usd_per_month").get("used").asLong()).isEqualTo(expectedCost));
        assertThat(limit(account, "cost_micro_usd_per_month").get("held").asLong()).isZero();
        assertThat(limit(account, "tokens_per_month").get("used").asLong()).isEqualTo(expectedTokens);
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isZero();
        assertThat(limit(account, "messages_per_day").get("used").asLong()).isEqualTo(10);
        assertThat(me(account).get("costMicroUsd").asLong()).isEqualTo(expectedCost);

    }

    @Test
    void quotaStatesOfManyHoldsAreCoalescedAndTheNewestCarriesTheirSum() throws Exception {
        String account = newAccount();
        subscribe(account, newTier(1_000_000, 1_000_000_000, 1_000_000_000, List.of("*")), 1);
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String requestId = account + "-req-" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return hold(account, requestId, "sim-1", 100, 900L, PRICE, PRICE);
                }));
            }
            start.countDown();
            for (Future<Response> f : futures) {
                assertThat(f.get().status()).isEqualTo(201);
            }
        }
        // one state per hold would be 100 (and one more for the tier); coalesced, a few per publish interval
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> states = KafkaProbe.readAll(Topics.QUOTA, r -> account.equals(r.key()), Duration.ofSeconds(1))
                    .stream().map(r -> json.readTree(r.value())).toList();
            JsonNode newest = states.stream().max(Comparator.comparingLong(n -> n.get("version").asLong())).orElseThrow();
            assertThat(newest.get("limits").get(2).get("name").asString()).isEqualTo("cost_micro_usd_per_month");
            assertThat(newest.get("limits").get(2).get("held").asLong()).isEqualTo(100 * 1_000);
            assertThat(states).hasSizeLessThanOrEqualTo(50);
        });
    }

    @Test
    void aThousandCopiesOfOneUsageEventAreCountedOnce() {
        String account = newAccount();
        UsageRecorded once = usage(account, account + "-req-1", "sim-1", 10, 20, 30);
        try (KafkaProducer<String, String> producer = producer()) {
            var record = record(Topics.USAGE, eventId(once), UsageRecorded.TYPE.name(), account, json.writeValueAsString(once));
            for (int i = 0; i < 1_000; i++) {
                producer.send(record);
            }
            producer.flush();
        }
        send(usage(account, account + "-req-marker", "sim-1", 1, 1, 2));   // same key, same partition: after the copies

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(2));
        assertThat(limit(account, "tokens_per_month").get("used").asLong()).isEqualTo(32);
        assertThat(limit(account, "cost_micro_usd_per_month").get("used").asLong()).isEqualTo(32);
        assertThat(limit(account, "messages_per_day").get("used").asLong()).isEqualTo(2);
    }

    @Test
    void replayingTheTopicFromTheStartLeavesEveryTotalUnchanged() throws Exception {
        String account = newAccount();
        for (int i = 0; i < 20; i++) {
            send(usage(account, account + "-req-" + i, "sim-1", 10, i, 10 + i));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(20));
        awaitEverythingConsumed();
        Map<String, Object> before = totals();

        listeners.stop();
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> toStart = partitions(admin).stream()
                    .collect(Collectors.toMap(p -> p, p -> new OffsetAndMetadata(0)));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                    admin.alterConsumerGroupOffsets(LEDGER_GROUP, toStart).all().get());
        } finally {
            listeners.start();
        }
        send(usage(account, account + "-req-after-replay", "sim-1", 1, 1, 2));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(21));
        awaitEverythingConsumed();

        Map<String, Object> after = totals();
        assertThat(after.get("requests")).isEqualTo((Long) before.get("requests") + 1);
        assertThat(after.get("cost")).isEqualTo((Long) before.get("cost") + 2);
        assertThat(after.get("ledger_cost")).isEqualTo((Long) before.get("ledger_cost") + 2);
        assertThat(after.get("ledger_tokens")).isEqualTo((Long) before.get("ledger_tokens") + 2);
        assertThat(after.get("crossings")).isEqualTo(before.get("crossings"));
    }

    @Test
    void stoppedAndRestartedInTheMiddleOfAStreamTheTotalsAreExact() throws Exception {
        String account = newAccount();
        long cost = 0;
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 300; i++) {
                UsageRecorded u = usage(account, account + "-req-" + i, "sim-1", 5, i, 5 + i);
                producer.send(record(Topics.USAGE, eventId(u), UsageRecorded.TYPE.name(), account, json.writeValueAsString(u)));
                cost += 5 + i;
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> recordedRequests(account) >= 20);
            listeners.stop();
            for (int i = 300; i < 500; i++) {
                UsageRecorded u = usage(account, account + "-req-" + i, "sim-1", 5, i, 5 + i);
                producer.send(record(Topics.USAGE, eventId(u), UsageRecorded.TYPE.name(), account, json.writeValueAsString(u)));
                cost += 5 + i;
            }
            producer.flush();
        } finally {
            listeners.start();
        }
        long expected = cost;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(500));
        assertThat(me(account).get("costMicroUsd").asLong()).isEqualTo(expected);
        assertThat(limit(account, "cost_micro_usd_per_month").get("used").asLong()).isEqualTo(expected);
        assertThat(limit(account, "tokens_per_month").get("used").asLong()).isEqualTo(expected);
        assertThat(limit(account, "messages_per_day").get("used").asLong()).isEqualTo(500);
    }

    private Map<String, Object> totals() {
        return jdbc.sql("""
                select (select count(*) from usage_records) as requests,
                       (select coalesce(sum(cost_micro_usd), 0)::bigint from usage_records) as cost,
                       (select coalesce(sum(cost_used), 0)::bigint from quota_ledger) as ledger_cost,
                       (select coalesce(sum(tokens_used), 0)::bigint from quota_ledger) as ledger_tokens,
                       (select count(*) from threshold_crossings) as crossings""").query().singleRow();
    }

    /** Waits until the group's committed offsets on usage.v1 reach the end of every partition. */
    private void awaitEverythingConsumed() {
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                List<TopicPartition> partitions = partitions(admin);
                var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                        .all().get();
                var committed = admin.listConsumerGroupOffsets(LEDGER_GROUP).partitionsToOffsetAndMetadata().get();
                for (TopicPartition p : partitions) {
                    long end = ends.get(p).offset();
                    long done = committed.get(p) == null ? 0 : committed.get(p).offset();
                    assertThat(done).as("committed offset of %s", p).isEqualTo(end);
                }
            });
        }
    }

    private static List<TopicPartition> partitions(Admin admin) throws Exception {
        return admin.describeTopics(Collections.singleton(Topics.USAGE)).allTopicNames().get().get(Topics.USAGE)
                .partitions().stream().map(p -> new TopicPartition(Topics.USAGE, p.partition())).toList();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers()));
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }
}

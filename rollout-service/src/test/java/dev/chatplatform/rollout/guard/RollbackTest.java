package dev.chatplatform.rollout.guard;

import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.rollout.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.flags.EvaluationReason;
import dev.chatplatform.flags.Overrides;
import dev.chatplatform.flags.openfeature.KafkaFlagProvider;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.SharedInfrastructure;
import dev.chatplatform.testkit.TestIdentities;
import dev.openfeature.sdk.ImmutableContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The guard on synthetic events, observed the way every service observes flags: through the OpenFeature provider. */
@PlatformIntegrationTest
class RollbackTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void aBreachRollsTheFlagBackForEveryEvaluatorWithEvidenceUnderAMinute() throws Exception {
        createFlag("risky-route", 50, 20, null);
        KafkaFlagProvider provider = new KafkaFlagProvider(SharedInfrastructure.kafkaBootstrapServers(), Overrides.NONE,
                Duration.ofSeconds(20));
        try {
            provider.initialize(null);
            await().atMost(Duration.ofSeconds(10)).until(() -> provider.store().get("risky-route") != null);
            String included = firstIncludedAccount(provider, "risky-route");

            List<ProducerRecord<String, String>> burst = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                burst.add(llmCallRecord("risky-route", "off", false, 200, 50));
                burst.add(llmCallRecord("risky-route", "on", i % 3 == 0, 210, 50)); // a third of the new path's calls fail
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                burst.forEach(producer::send);
                producer.flush();
            }
            long sent = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    provider.evaluate("risky-route", new ImmutableContext(included)).reason() == EvaluationReason.KILLED);
            long millis = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("rollout guard: breach-to-rollback (burst of bad events flushed -> provider evaluates the safe state) = "
                    + millis + " ms");
            assertThat(millis).isLessThan(60_000);
            assertThat(provider.getBooleanEvaluation("risky-route", true, new ImmutableContext(included)).getValue()).isFalse();
        } finally {
            provider.shutdown();
        }

        var decisions = KafkaProbe.readAll(Topics.DECISIONS, r -> "risky-route".equals(r.key()), Duration.ofSeconds(1));
        assertThat(decisions).hasSize(1);
        RolloutDecided decision = JSON.readValue(decisions.getFirst().value(), RolloutDecided.class);
        assertThat(decision.decision()).isEqualTo(RolloutDecided.Decision.ROLLED_BACK);
        assertThat(decision.evidence()).anySatisfy(e -> {
            assertThat(e.rule()).isEqualTo("error_rate");
            assertThat(e.variant()).isEqualTo("on");
            assertThat(e.verdict()).isEqualTo("BREACH");
            assertThat(e.variantSamples()).isGreaterThanOrEqualTo(20);
        });
        JsonNode audit = get("/api/v1/flags/risky-route/audit").at("/data/0");
        assertThat(audit.at("/action").asString()).isEqualTo("flag.rolled-back");
        assertThat(audit.at("/actor").asString()).isEqualTo("rollout-guard");
        assertThat(audit.at("/reason").asString()).startsWith("automatic rollback: error_rate of variant on");
        assertThat(audit.at("/before/killed").asBoolean()).isFalse();
        assertThat(audit.at("/after/killed").asBoolean()).isTrue();
        assertThat(audit.at("/after/evidence").findValuesAsString("verdict")).contains("BREACH");
    }

    @Test
    void aPausedPlanNeitherAdvancesNorEscapesTheGuardABreachStillRollsItBackAudited() {
        createFlag("paused-route", 0, 5, List.of("tester"));
        put("/api/v1/flags/paused-route/plan", Map.of("autoAdvance", true, "phases", List.of(
                Map.of("name", "test-accounts", "percentage", 0, "minDurationSeconds", 0, "minSamples", 5),
                Map.of("name", "all", "percentage", 100, "minDurationSeconds", 0, "minSamples", 0))));
        post("/api/v1/flags/paused-route/plan/pause", Map.of("reason", "hold for the release"));
        for (int i = 0; i < 10; i++) {
            llmCall("paused-route", "on", false, 200, 50);
            llmCall("paused-route", "off", false, 200, 50);
        }
        await().atMost(Duration.ofSeconds(15)).until(() ->
                get("/api/v1/flags/paused-route/comparison").at("/verdict").asString().equals("HEALTHY"));
        sleep(1_500); // several guard rounds: healthy, long and large enough, but paused
        assertThat(get("/api/v1/flags/paused-route/plan").at("/currentPhase").asInt()).isZero();

        for (int i = 0; i < 20; i++) {
            llmCall("paused-route", "on", i % 2 == 0, 200, 50); // half of the new path's calls fail
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                get("/api/v1/flags/paused-route/plan").at("/status").asString().equals("ROLLED_BACK"));
        assertThat(get("/api/v1/flags/paused-route").at("/flag/killed").asBoolean()).isTrue();
        var entries = KafkaProbe.readAll(dev.chatplatform.contracts.audit.Topics.AUDIT,
                r -> "flag:paused-route".equals(r.key()), Duration.ofSeconds(1)).stream()
                .map(r -> JSON.readValue(r.value(), AuditRecorded.class)).toList();
        assertThat(entries).extracting(AuditRecorded::action)
                .containsExactly("flag.created", "flag.plan-set", "flag.plan-paused", "flag.rolled-back");
        AuditRecorded rollback = entries.getLast();
        assertThat(rollback.actor()).isEqualTo("rollout-guard");
        assertThat(rollback.actorKeyId()).isNull();
        assertThat(JSON.valueToTree(rollback.after().get("evidence")).findValuesAsString("rule")).contains("error_rate");
    }

    @Test
    void tooFewSamplesNeverRollBackEvenWhenEverythingFails() {
        createFlag("few-samples", 100, 50, null);
        // intermediate attempts and calls the client left are not observations (one observation per request)
        for (var outcome : List.of(LlmCallRecorded.Outcome.RETRY, LlmCallRecorded.Outcome.FALLBACK,
                LlmCallRecorded.Outcome.CLIENT_GONE)) {
            KafkaProbe.send(llmCallRecord("few-samples", "on", outcome, 9_000, 0));
        }
        for (int i = 0; i < 10; i++) {
            llmCall("few-samples", "on", true, 9_000, 50);
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get("/api/v1/flags/few-samples/comparison").at("/variants/0/requests").asLong() == 10);
        assertThat(get("/api/v1/flags/few-samples/comparison").at("/variants/0/errorRate").asDouble()).isEqualTo(1.0);
        sleep(1_500); // several guard rounds
        assertThat(get("/api/v1/flags/few-samples").at("/flag/killed").asBoolean()).isFalse();
        assertThat(get("/api/v1/flags/few-samples/comparison").at("/verdict").asString()).isEqualTo("INCONCLUSIVE");
    }

    @Test
    void noDataIsInconclusiveAndNeverAdvancesAPlan() {
        createFlag("no-data", 0, 5, List.of("tester"));
        put("/api/v1/flags/no-data/plan", Map.of("autoAdvance", true, "phases", List.of(
                Map.of("name", "test-accounts", "percentage", 0, "minDurationSeconds", 0, "minSamples", 0),
                Map.of("name", "all", "percentage", 100, "minDurationSeconds", 0, "minSamples", 0))));
        sleep(1_500);
        assertThat(get("/api/v1/flags/no-data/comparison").at("/verdict").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(get("/api/v1/flags/no-data/plan").at("/currentPhase").asInt()).isZero();
        assertThat(get("/api/v1/flags/no-data").at("/flag/killed").asBoolean()).isFalse();
    }

    @Test
    void aPhaseWhoseSlosHeldAdvancesAutomaticallyWithADecision() {
        createFlag("healthy-route", 0, 5, List.of("tester"));
        put("/api/v1/flags/healthy-route/plan", Map.of("autoAdvance", true, "phases", List.of(
                Map.of("name", "test-accounts", "percentage", 0, "minDurationSeconds", 0, "minSamples", 8),
                Map.of("name", "10%", "percentage", 10, "minDurationSeconds", 3600, "minSamples", 100))));
        for (int i = 0; i < 10; i++) {
            llmCall("healthy-route", "on", false, 200, 50);
            llmCall("healthy-route", "off", false, 200, 50);
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                get("/api/v1/flags/healthy-route/plan").at("/currentPhase").asInt() == 1);
        assertThat(get("/api/v1/flags/healthy-route").at("/flag/rolloutPercentage").asInt()).isEqualTo(10);
        var decisions = KafkaProbe.readAll(Topics.DECISIONS, r -> "healthy-route".equals(r.key()), Duration.ofSeconds(1));
        assertThat(decisions).hasSize(1);
        assertThat(JSON.readValue(decisions.getFirst().value(), RolloutDecided.class).decision())
                .isEqualTo(RolloutDecided.Decision.ADVANCED);
    }

    @Test
    void usageEventsAreAttributedToTheVariantTheAccountIsServed() {
        createFlag("usage-attributed", 100, 5, null);
        UsageRecorded usage = new UsageRecorded("req-" + UUID.randomUUID(), "acc-usage", null, "sim-1", "simulated",
                10, 0, 20, 40, false, UsageRecorded.Outcome.UPSTREAM_ERROR, false, 300, null, Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>("usage.v1", "acc-usage", JSON.writeValueAsString(usage));
        headers(record, UsageRecorded.TYPE.name());
        KafkaProbe.send(record);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                get("/api/v1/flags/usage-attributed/comparison").at("/variants/0/source").asString().equals("usage.v1"));
        JsonNode row = get("/api/v1/flags/usage-attributed/comparison").at("/variants/0");
        assertThat(row.at("/variant").asString()).isEqualTo("on");
        assertThat(row.at("/errorRate").asDouble()).isEqualTo(1.0);
    }

    private String firstIncludedAccount(KafkaFlagProvider provider, String flag) {
        for (int i = 0; ; i++) {
            if (provider.evaluate(flag, new ImmutableContext("acc-" + i)).on()) {
                return "acc-" + i;
            }
        }
    }

    private void createFlag(String key, int percentage, int minSamples, List<String> allow) {
        Map<String, Object> body = new HashMap<>(Map.of("key", key, "rolloutPercentage", percentage,
                "rules", Map.of("guarded", true, "maxErrorRate", 0.05, "maxLatencyRatio", 1.5, "maxCostRatio", 1.5,
                        "minSamples", minSamples, "windowSeconds", 900)));
        if (allow != null) {
            body.put("allowList", allow);
        }
        var status = client().post().uri("/api/v1/flags").headers(h -> h.addAll(admin()))
                .contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsString(body)).retrieve().toBodilessEntity();
        assertThat(status.getStatusCode().value()).isEqualTo(201);
    }

    private void llmCall(String flag, String variant, boolean failed, long latencyMs, long cost) {
        KafkaProbe.send(llmCallRecord(flag, variant, failed, latencyMs, cost));
    }

    private static ProducerRecord<String, String> llmCallRecord(String flag, String variant, boolean failed, long latencyMs,
                                                                long cost) {
        return llmCallRecord(flag, variant, failed ? LlmCallRecorded.Outcome.ERROR : LlmCallRecorded.Outcome.SUCCESS,
                latencyMs, cost);
    }

    private static ProducerRecord<String, String> llmCallRecord(String flag, String variant,
                                                                LlmCallRecorded.Outcome outcome, long latencyMs, long cost) {
        var call = new LlmCallRecorded("req-" + UUID.randomUUID(), "acc-x", 1, "simulated", "sim-1", "sim-1", outcome,
                outcome == LlmCallRecorded.Outcome.SUCCESS ? null : "server_error", latencyMs, null, 10, 0, 20, cost, false,
                Map.of(flag, variant), Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>(
                dev.chatplatform.contracts.provider.Topics.LLM_CALLS, "acc-x", JSON.writeValueAsString(call));
        headers(record, LlmCallRecorded.TYPE.name());
        return record;
    }

    /** The producer of the topic {@code type} is published on: the only {@code ce_source} consumers accept. */
    private static String producer(String type) {
        return EventCatalog.topic(EventCatalog.byName(type).orElseThrow().topic()).orElseThrow().producer();
    }

    private static void headers(ProducerRecord<String, String> record, String type) {
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, producer(type).getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode get(String path) {
        return JSON.readTree(client().get().uri(path).headers(h -> h.addAll(admin())).retrieve().body(String.class));
    }

    private void post(String path, Object body) {
        client().post().uri(path).headers(h -> h.addAll(admin())).contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(body)).retrieve().toBodilessEntity();
    }

    private void put(String path, Object body) {
        client().put().uri(path).headers(h -> h.addAll(admin())).contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(body)).retrieve().toBodilessEntity();
    }

    private RestClient client() {
        return RestClient.create("http://localhost:" + port);
    }

    private static HttpHeaders admin() {
        return TestIdentities.admin("admin-1");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.chatplatform.chat;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /v1/embeddings} through chat-service's governance, on the real embedded Kafka and PostgreSQL, with
 * provider-service and usage-service's hold API stood in by {@link ProviderStub} and {@link UsageStub}.
 */
@PlatformIntegrationTest
class EmbeddingsIntegrationTest {

    static final ProviderStub provider = ProviderStub.start();
    static final UsageStub usage = UsageStub.start();

    @DynamicPropertySource
    static void urls(DynamicPropertyRegistry registry) {
        registry.add("chat.provider.url", provider::url);
        registry.add("chat.budget.usage-url", usage::url);
    }

    @AfterAll
    static void stop() {
        provider.close();
        usage.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void anAnswerIsRelayedWithoutXPlatformAfterAHoldOnItsInputAndRecordedOnceAsEmbeddings() throws Exception {
        String requestId = "req-" + UUID.randomUUID();
        var response = post("acc-embed", requestId, """
                {"model":"emb-1","input":["hello world","good morning"],"user":"end-user-1"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.path("object").asString()).isEqualTo("list");
        assertThat(answer.path("data").size()).isEqualTo(2);
        assertThat(answer.path("data").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(answer.path("usage").path("prompt_tokens").asLong()).isEqualTo(ProviderStub.EMBEDDING_TOKENS);
        assertThat(answer.has("x_platform")).isFalse();

        JsonNode hold = usage.holds.get(requestId).body();
        assertThat(hold.path("model").asString()).isEqualTo("emb-1");
        assertThat(hold.path("promptTokens").asLong()).as("the input, counted before the call").isEqualTo(2 + 2);
        assertThat(hold.path("maxTokens").asLong()).as("the one output token usage-service insists on").isEqualTo(1);
        assertThat(hold.path("inputPriceMicroUsdPerMillion").asLong()).isEqualTo(20_000);
        assertThat(hold.path("outputPriceMicroUsdPerMillion").asLong()).as("embeddings produce no output").isZero();
        assertThat(usage.released).as("the usage event settles the hold").doesNotContain(UsageStub.holdIdOf(requestId));

        ConsumerRecord<String, String> record = onlyUsageEvent(requestId);
        assertThat(record.key()).isEqualTo("acc-embed");
        UsageRecorded event = json.readValue(record.value(), UsageRecorded.class);
        assertThat(event.kind()).isEqualTo(UsageRecorded.Kind.EMBEDDINGS);
        assertThat(event.model()).isEqualTo("emb-1");
        assertThat(event.provider()).isEqualTo("simulated");
        assertThat(event.inputTokens()).isEqualTo(ProviderStub.EMBEDDING_TOKENS);
        assertThat(event.outputTokens()).isZero();
        assertThat(event.costMicroUsd()).isEqualTo(1);
        assertThat(event.streamed()).isFalse();
        assertThat(event.outcome()).isEqualTo(UsageRecorded.Outcome.COMPLETED);
    }

    @Test
    void aChatModelIsRefusedBeforeAnyHold() throws Exception {
        String requestId = "req-" + UUID.randomUUID();
        var response = post("acc-embed", requestId, "{\"model\":\"sim-1\",\"input\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("model_not_embedding");
        assertThat(error.path("param").asString()).isEqualTo("model");
        assertThat(usage.holds).doesNotContainKey(requestId);
        assertThat(provider.received).doesNotContainKey(requestId);
    }

    @Test
    void badInputIsA400BeforeAnythingElse() throws Exception {
        String requestId = "req-" + UUID.randomUUID();
        var response = post("acc-embed", requestId, "{\"model\":\"emb-1\",\"input\":[]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("error").path("param").asString()).isEqualTo("input");
        assertThat(usage.holds).doesNotContainKey(requestId);
    }

    @Test
    void aQuotaRefusalIsThe429OfUsageService() throws Exception {
        var response = post("acc-over-embed", "req-" + UUID.randomUUID(), "{\"model\":\"emb-1\",\"input\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(json.readTree(response.body()).path("error").path("code").asString())
                .isEqualTo("monthly_budget_exceeded");
    }

    @Test
    void aFailedCallReleasesItsHoldAndRecordsNothing() throws Exception {
        String requestId = "req-" + UUID.randomUUID();
        var response = post("acc-embed", requestId, "{\"model\":\"emb-broken\",\"input\":\"hi\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(usage.released).contains(UsageStub.holdIdOf(requestId));
        assertThat(jdbc.sql("select count(*) from outbox_events where payload like :p")
                .param("p", "%\"" + requestId + "\"%").query(Integer.class).single()).isZero();
    }

    private HttpResponse<String> post(String accountId, String requestId, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/embeddings"))
                .header("Content-Type", "application/json")
                .header("X-Platform-Identity", TestIdentities.token(accountId, "chat"))
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private ConsumerRecord<String, String> onlyUsageEvent(String requestId) {
        String eventId = EventIds.of(UsageRecorded.TYPE, requestId);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.sql("select count(*) from outbox_events where id = :id and published_at is not null")
                        .param("id", eventId).query(Integer.class).single() == 1);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            records.clear();
            records.addAll(KafkaProbe.readAll(Topics.USAGE, r -> eventId.equals(header(r, CloudEventHeaders.ID)),
                    Duration.ofMillis(700)));
            return !records.isEmpty();
        });
        assertThat(records).as("usage events of %s", requestId).hasSize(1);
        return records.getFirst();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

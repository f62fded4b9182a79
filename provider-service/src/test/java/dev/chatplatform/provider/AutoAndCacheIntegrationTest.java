package dev.chatplatform.provider;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import dev.chatplatform.provider.catalog.ModelCatalog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code model: "auto"} and the response cache, end to end over HTTP (same context as the other integration tests). */
@PlatformIntegrationTest
@TestPropertySource(properties = {"provider.simulated.first-token-delay=300ms", "provider.simulated.tokens-per-second=2000"})
class AutoAndCacheIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ModelCatalog catalog;

    @Autowired
    JsonMapper json;

    @Test
    void autoPicksTheCheapestModelAndSaysWhyInHeaderBodyAndLlmCallEvent() {
        Reply reply = post(account(), null, """
                {"model":"auto","messages":[{"role":"user","content":"Tell me about clouds"}]}""");

        assertThat(reply.status).as(reply.body).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("model").asString()).isEqualTo("sim-1-mini");
        JsonNode auto = body.get("x_platform").get("auto");
        assertThat(auto.get("model").asString()).isEqualTo("sim-1-mini");
        assertThat(auto.get("reason").asString()).startsWith("cheapest of ").contains("tier free");
        assertThat(reply.headers.getFirst("X-Platform-Auto-Model")).startsWith("sim-1-mini; reason=\"cheapest of ");
        assertThat(reply.headers.getFirst("X-Platform-Cache")).as("temperature not 0: not cacheable").isNull();

        LlmCallRecorded event = llmCall(reply.requestId());
        assertThat(event.model()).isEqualTo("sim-1-mini");
        assertThat(event.autoReason()).isEqualTo(auto.get("reason").asString());
        assertThat(event.cacheHit()).isFalse();
    }

    @Test
    void chatServiceCanAskForTheChoiceFirstThenCallTheChosenModelAndTheAnswerStillReportsTheChoice() {
        String account = account();
        String request = """
                {"model":"auto","messages":[{"role":"user","content":"Tell me about rain"}]}""";
        Reply choice = post(account, null, request, "/v1/chat/completions/auto-choice", null);

        assertThat(choice.status).as(choice.body).isEqualTo(200);
        JsonNode chosen = choice.json();
        assertThat(chosen.get("model").asString()).isEqualTo("sim-1-mini");
        assertThat(chosen.get("reason").asString()).startsWith("cheapest of ").contains("tier free");
        String header = "sim-1-mini; reason=\"" + chosen.get("reason").asString() + "\"";

        Reply reply = post(account, null, request.replace("auto", "sim-1-mini"), "/v1/chat/completions", header);

        assertThat(reply.status).as(reply.body).isEqualTo(200);
        assertThat(reply.json().get("model").asString()).isEqualTo("sim-1-mini");
        assertThat(reply.json().get("x_platform").get("auto").get("reason").asString()).isEqualTo(chosen.get("reason").asString());
        assertThat(reply.headers.getFirst("X-Platform-Auto-Model")).isEqualTo(header);
        assertThat(llmCall(reply.requestId()).autoReason()).isEqualTo(chosen.get("reason").asString());
        Reply other = post(account, null, request.replace("auto", "sim-1"), "/v1/chat/completions", header);
        assertThat(other.json().get("x_platform").has("auto")).as("a choice of another model is not this answer's").isFalse();
    }

    @Test
    void autoOnlyPicksAModelThatTakesTheRequestsImages() {
        Reply choice = post(account(), null, """
                {"model":"auto","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""",
                "/v1/chat/completions/auto-choice", null);

        assertThat(choice.status).as(choice.body).isEqualTo(200);
        assertThat(choice.json().get("model").asString()).as("sim-1-mini is cheaper but takes no images").isEqualTo("sim-1");
    }

    @Test
    void autoPrefersAModelWithTheCapabilityTheRequestSignals() {
        Reply reply = post(account(), null, """
                {"model":"auto","stream":true,"messages":[{"role":"user","content":"Why does this fail?\\n```java\\nint x = null;\\n```"}]}""");

        assertThat(reply.status).as(reply.body).isEqualTo(200);
        assertThat(reply.headers.getFirst("X-Platform-Auto-Model")).startsWith("sim-1; ").contains("signals code: all matched");
        JsonNode first = json.readTree(reply.events().getFirst());
        assertThat(first.get("model").asString()).isEqualTo("sim-1");
        assertThat(first.get("x_platform").get("auto").get("model").asString()).isEqualTo("sim-1");
    }

    @Test
    void autoOnlyPicksModelsTheCallersTierAllowsWithTheTierFromAccountsV1() {
        jdbc.sql("""
                insert into models (id, provider, upstream_model, context_window, max_output_tokens, capabilities, tiers)
                values ('sim-pro-lite', 'simulated', 'sim-pro-lite', 128000, 16384, '{chat,streaming}', '{pro}')
                on conflict (id) do update set enabled = true""").update();
        jdbc.sql("""
                insert into model_prices (model_id, effective_from, input_micro_usd_per_mtok, output_micro_usd_per_mtok,
                                          cached_input_micro_usd_per_mtok)
                values ('sim-pro-lite', '2025-01-01T00:00:00Z', 1, 1, 1) on conflict do nothing""").update();
        catalog.changed();
        try {
            String account = account();
            String ask = """
                    {"model":"auto","messages":[{"role":"user","content":"Hi"}]}""";
            assertThat(post(account, null, ask).json().get("model").asString()).as("unknown account = free tier")
                    .isEqualTo("sim-1-mini");

            KafkaProbe.send(accountChanged(account, "pro", 3));
            await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select tier from account_tiers where account_id = ?")
                    .param(account).query(String.class).optional().filter("pro"::equals).isPresent());
            KafkaProbe.send(accountChanged(account, "free", 2)); // older version: ignored

            Reply pro = post(account, null, ask);
            assertThat(pro.json().get("model").asString()).isEqualTo("sim-pro-lite");
            assertThat(pro.headers.getFirst("X-Platform-Auto-Model")).contains("tier pro");
        } finally {
            jdbc.sql("update models set enabled = false where id = 'sim-pro-lite'").update();
            catalog.changed();
        }
    }

    @Test
    void deterministicRequestsAreAnsweredFromTheAccountsCacheAtZeroCost() {
        String account = account();
        String ask = """
                {"model":"sim-1","temperature":0,"messages":[{"role":"user","content":"Cache me %s"}]}""".formatted(UUID.randomUUID());

        Reply first = post(account, null, ask);
        assertThat(first.headers.getFirst("X-Platform-Cache")).isEqualTo("miss");
        assertThat(first.json().get("x_platform").has("cache_hit")).isFalse();

        long start = System.nanoTime();
        Reply second = post(account, null, ask);
        assertThat((System.nanoTime() - start) / 1_000_000).as("no upstream call (which waits 300 ms)").isLessThan(300);
        assertThat(second.headers.getFirst("X-Platform-Cache")).isEqualTo("hit");
        JsonNode a = first.json();
        JsonNode b = second.json();
        assertThat(b.get("id").asString()).isNotEqualTo(a.get("id").asString());
        assertThat(b.get("model").asString()).isEqualTo("sim-1");
        assertThat(b.get("choices")).isEqualTo(a.get("choices"));
        assertThat(b.get("usage")).isEqualTo(a.get("usage"));
        assertThat(b.get("x_platform").get("cache_hit").asBoolean()).isTrue();
        assertThat(b.get("x_platform").get("cost_micro_usd").asLong()).isZero();
        assertThat(a.get("x_platform").get("cost_micro_usd").asLong()).isPositive();

        LlmCallRecorded hit = llmCall(second.requestId());
        assertThat(hit.cacheHit()).isTrue();
        assertThat(hit.outcome()).isEqualTo(LlmCallRecorded.Outcome.SUCCESS);
        assertThat(hit.costMicroUsd()).isZero();
        assertThat(hit.outputTokens()).isEqualTo(a.get("usage").get("completion_tokens").asLong());

        assertThat(post(account(), null, ask).headers.getFirst("X-Platform-Cache")).as("never shared across accounts")
                .isEqualTo("miss");
        assertThat(post(account, "bypass", ask).headers.getFirst("X-Platform-Cache")).isNull();
        assertThat(post(account, null, ask.replace("\"temperature\":0", "\"temperature\":0,\"top_p\":0.5"))
                .headers.getFirst("X-Platform-Cache")).as("other sampling params: another key").isEqualTo("miss");

        jdbc.sql("update response_cache set expires_at = now() - interval '1 second' where account_id = ?")
                .param(account).update();
        assertThat(post(account, null, ask).headers.getFirst("X-Platform-Cache")).as("expired").isEqualTo("miss");
    }

    @Test
    void aCachedAnswerIsReplayedAsAStreamAndTheHeaderAsksForCachingAtAnyTemperature() {
        String account = account();
        String ask = """
                {"model":"sim-1-mini","temperature":1.2,"messages":[{"role":"user","content":"Stream me %s"}]}""".formatted(UUID.randomUUID());

        assertThat(post(account, null, ask).headers.getFirst("X-Platform-Cache")).isNull();
        Reply first = post(account, "use", ask);
        assertThat(first.headers.getFirst("X-Platform-Cache")).isEqualTo("miss");
        String content = first.json().get("choices").get(0).get("message").get("content").asString();

        Reply stream = post(account, "use", ask.replace("{\"model\"", "{\"stream\":true,\"model\""));
        assertThat(stream.headers.getFirst("X-Platform-Cache")).isEqualTo("hit");
        List<String> events = stream.events();
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        JsonNode usageChunk = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = json.readTree(e);
            assertThat(chunk.get("x_platform").get("cache_hit").asBoolean()).isTrue();
            assertThat(chunk.get("x_platform").get("cost_micro_usd").asLong()).isZero();
            if (chunk.get("choices").isEmpty()) {
                usageChunk = chunk;
            } else if (chunk.get("choices").get(0).get("delta").has("content")) {
                text.append(chunk.get("choices").get(0).get("delta").get("content").asString());
            }
        }
        assertThat(events.size()).as("replayed piece by piece").isGreaterThan(5);
        assertThat(text.toString()).isEqualTo(content);
        assertThat(usageChunk).isNotNull();
        assertThat(usageChunk.get("usage")).isEqualTo(first.json().get("usage"));
    }

    private LlmCallRecorded llmCall(String requestId) {
        String eventId = EventIds.of(LlmCallRecorded.TYPE, requestId + ":1");
        String[] payload = {null};
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            payload[0] = jdbc.sql("select payload from outbox_events where id = ?").param(eventId)
                    .query(String.class).optional().orElse(null);
            return payload[0] != null;
        });
        return json.readValue(payload[0], LlmCallRecorded.class);
    }

    private static ProducerRecord<String, String> accountChanged(String account, String tier, long version) {
        String value = JsonMapper.builder().build().writeValueAsString(
                new AccountChanged(account, account + "@example.com", "Test", tier, "active", version, Instant.now()));
        var record = new ProducerRecord<>(AccountChanged.TYPE.topic(), account, value);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, account + ":" + version);
        header(record, CloudEventHeaders.TYPE, AccountChanged.TYPE.name());
        header(record, CloudEventHeaders.SOURCE, "billing-service");
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(record, CloudEventHeaders.SUBJECT, account);
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String account() {
        return "acc-auto-" + UUID.randomUUID();
    }

    private Reply post(String account, String cacheHeader, String body) {
        return post(account, cacheHeader, body, "/v1/chat/completions", null);
    }

    private Reply post(String account, String cacheHeader, String body, String path, String autoHeader) {
        HttpHeaders identity = TestIdentities.chatCaller(account);
        return RestClient.builder().baseUrl("http://localhost:" + port).build()
                .post().uri(path).headers(h -> {
                    h.addAll(identity);
                    if (cacheHeader != null) {
                        h.set("X-Platform-Cache", cacheHeader);
                    }
                    if (autoHeader != null) {
                        h.set("X-Platform-Auto-Model", autoHeader);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange((req, res) -> {
                    var lines = new BufferedReader(new InputStreamReader(res.getBody(), StandardCharsets.UTF_8));
                    StringBuilder all = new StringBuilder();
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        all.append(line).append('\n');
                    }
                    return new Reply(res.getStatusCode().value(), res.getHeaders(), all.toString());
                });
    }

    private record Reply(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(body);
        }

        String requestId() {
            return headers.getFirst("X-Request-Id");
        }

        List<String> events() {
            List<String> events = new ArrayList<>();
            for (String line : body.split("\n")) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring("data: ".length()));
                }
            }
            return events;
        }
    }
}

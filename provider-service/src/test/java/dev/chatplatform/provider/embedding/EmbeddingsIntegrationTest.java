package dev.chatplatform.provider.embedding;

import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /v1/embeddings} on the simulated embedding model, with the catalog and outbox on the real database. */
@PlatformIntegrationTest
class EmbeddingsIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void embedsAnArrayInOpenAisShapeWithUsageAndCost() {
        Answer answer = post("/v1/embeddings", """
                {"model":"sim-embed-1","input":["The cat sat on the mat.","Stocks fell sharply"],"dimensions":64,"user":"u-1"}""");

        assertThat(answer.status).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("object").asString()).isEqualTo("list");
        assertThat(body.get("model").asString()).isEqualTo("sim-embed-1");
        assertThat(body.get("data").size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            JsonNode item = body.get("data").get(i);
            assertThat(item.get("object").asString()).isEqualTo("embedding");
            assertThat(item.get("index").asInt()).isEqualTo(i);
            assertThat(item.get("embedding").size()).isEqualTo(64);
            double norm = 0;
            for (JsonNode v : item.get("embedding").values()) {
                norm += v.asDouble() * v.asDouble();
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
        int prompt = body.get("usage").get("prompt_tokens").asInt();
        assertThat(prompt).isEqualTo(7 + 3); // cl100k: "The cat sat on the mat." and "Stocks fell sharply"
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(prompt);
        JsonNode platform = body.get("x_platform");
        assertThat(platform.get("provider").asString()).isEqualTo("simulated");
        assertThat(platform.get("cost_micro_usd").asLong()).isEqualTo(1); // 10 tokens at $0.01/M, rounded up
        assertThat(platform.get("usage_estimated").asBoolean()).isFalse();
    }

    @Test
    void theSameTextGivesTheSameVectorAndBase64CarriesTheSameFloats() {
        JsonNode floats = post("/v1/embeddings", """
                {"model":"sim-embed-1","input":"hello world","dimensions":8}""").json();
        JsonNode again = post("/v1/embeddings", """
                {"model":"sim-embed-1","input":"hello world","dimensions":8,"encoding_format":"float"}""").json();
        JsonNode base64 = post("/v1/embeddings", """
                {"model":"sim-embed-1","input":"hello world","dimensions":8,"encoding_format":"base64"}""").json();

        assertThat(again.get("data").get(0).get("embedding")).isEqualTo(floats.get("data").get(0).get("embedding"));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.get("data").get(0).get("embedding").asString()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(8 * Float.BYTES);
        for (JsonNode v : floats.get("data").get(0).get("embedding").values()) {
            assertThat(bytes.getFloat()).isEqualTo(v.floatValue());
        }
    }

    @Test
    void aChatModelIsRefusedHereAndAnEmbeddingModelByChat() {
        Answer embedWithChat = post("/v1/embeddings", """
                {"model":"sim-1","input":"hi"}""");
        assertThat(embedWithChat.status).isEqualTo(400);
        assertThat(embedWithChat.json().at("/error/code").asString()).isEqualTo("model_not_embedding");
        assertThat(embedWithChat.json().at("/error/param").asString()).isEqualTo("model");

        Answer chatWithEmbedding = post("/v1/chat/completions", """
                {"model":"sim-embed-1","messages":[{"role":"user","content":"hi"}]}""");
        assertThat(chatWithEmbedding.status).isEqualTo(400);
        assertThat(chatWithEmbedding.json().at("/error/code").asString()).isEqualTo("model_not_chat");
        assertThat(chatWithEmbedding.json().at("/error/message").asString()).contains("sim-embed-1", "/v1/embeddings");
    }

    @Test
    void badInputIsA400NamingTheParameter() {
        assertThat(post("/v1/embeddings", "{\"model\":\"sim-embed-1\"}").json().at("/error/param").asString())
                .isEqualTo("input");
        assertThat(post("/v1/embeddings", "{\"model\":\"sim-embed-1\",\"input\":[1,2,3]}").json().at("/error/message")
                .asString()).contains("token ids");
        assertThat(post("/v1/embeddings", "{\"model\":\"sim-embed-1\",\"input\":\"x\",\"encoding_format\":\"int8\"}")
                .json().at("/error/param").asString()).isEqualTo("encoding_format");
        Answer tooLarge = post("/v1/embeddings", "{\"model\":\"sim-embed-1\",\"input\":\"x\",\"dimensions\":99999}");
        assertThat(tooLarge.status).isEqualTo(400);
        assertThat(tooLarge.json().at("/error/param").asString()).isEqualTo("dimensions");
        assertThat(post("/v1/embeddings", "{\"model\":\"nope\",\"input\":\"x\"}").status).isEqualTo(404);
    }

    @Test
    void theModelListTellsEachModelsKind() {
        JsonNode list = get("/v1/models").json();
        JsonNode embedding = null;
        for (JsonNode m : list.get("data").values()) {
            assertThat(m.get("kind").asString()).isIn("chat", "embedding");
            if (m.get("id").asString().equals("sim-embed-1")) {
                embedding = m;
            }
            if (m.get("id").asString().equals("sim-1")) {
                assertThat(m.get("kind").asString()).isEqualTo("chat");
            }
        }
        assertThat(embedding).isNotNull();
        assertThat(embedding.get("kind").asString()).isEqualTo("embedding");
        assertThat(embedding.get("max_output_tokens").asInt()).isEqualTo(1536);
        assertThat(embedding.get("pricing").get("input_micro_usd_per_million").asLong()).isEqualTo(10_000);
    }

    @Test
    void everyCallIsRecordedOnLlmCallsWithItsInputTokensAndCost() {
        String requestId = "req-embed-" + System.nanoTime();
        RestClient.create("http://localhost:" + port).post().uri("/v1/embeddings")
                .headers(h -> h.addAll(TestIdentities.chatCaller("acc-embed-test")))
                .header("X-Request-Id", requestId).contentType(MediaType.APPLICATION_JSON)
                .body("{\"model\":\"sim-embed-1\",\"input\":\"one two three\"}").retrieve().toBodilessEntity();

        String id = EventIds.of(LlmCallRecorded.TYPE, requestId + ":1");
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql("select count(*) from outbox_events where id = :id")
                .param("id", id).query(Integer.class).single() == 1); // written off the request's thread
        String payload = jdbc.sql("select payload from outbox_events where id = :id").param("id", id)
                .query(String.class).single();
        LlmCallRecorded call = JSON.readValue(payload, LlmCallRecorded.class);
        assertThat(call.outcome()).isEqualTo(LlmCallRecorded.Outcome.SUCCESS);
        assertThat(call.model()).isEqualTo("sim-embed-1");
        assertThat(call.inputTokens()).isEqualTo(3);
        assertThat(call.outputTokens()).isZero();
        assertThat(call.costMicroUsd()).isEqualTo(1);
    }

    private Answer post(String path, String body) {
        return client().post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange((req, res) -> new Answer(res.getStatusCode().value(), res.bodyTo(String.class)));
    }

    private Answer get(String path) {
        return client().get().uri(path)
                .exchange((req, res) -> new Answer(res.getStatusCode().value(), res.bodyTo(String.class)));
    }

    private RestClient client() {
        HttpHeaders identity = TestIdentities.chatCaller("acc-embed-test");
        return RestClient.builder().baseUrl("http://localhost:" + port).defaultHeaders(h -> h.addAll(identity)).build();
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}

package dev.chatplatform.provider;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import dev.chatplatform.testkit.TestIdentities;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.within;

/** The simulated model waits before its first token here, so tests can tell a real stream from a buffered one. */
@PlatformIntegrationTest
@TestPropertySource(properties = {"provider.simulated.first-token-delay=300ms", "provider.simulated.tokens-per-second=2000"})
class ProviderServiceIntegrationTest {

    private static final long FIRST_TOKEN_DELAY_MILLIS = 300;

    private static final String HELLO = """
            {"model":"sim-1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"}]}""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ModelCatalog catalog;

    @Autowired
    JsonMapper json;

    @Test
    void listsTheSimulatedModelsInOpenAisShape() {
        Answer answer = get("/v1/models");

        assertThat(answer.status).isEqualTo(200);
        JsonNode list = answer.json();
        assertThat(list.get("object").asString()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        for (JsonNode m : list.get("data").values()) {
            ids.add(m.get("id").asString());
            assertThat(m.get("object").asString()).isEqualTo("model");
            assertThat(m.get("owned_by").asString()).isEqualTo("simulated");
            assertThat(m.get("created").asLong()).isPositive();
        }
        assertThat(ids).contains("sim-1", "sim-1-mini");
    }

    @Test
    void describesAModelWithItsWindowMaximumOutputAndThePriceInForce() {
        Answer answer = get("/v1/models/sim-1");

        assertThat(answer.status).isEqualTo(200);
        JsonNode model = answer.json();
        assertThat(model.get("id").asString()).isEqualTo("sim-1");
        assertThat(model.get("context_window").asInt()).isEqualTo(128000);
        assertThat(model.get("max_output_tokens").asInt()).isEqualTo(16384);
        JsonNode pricing = model.get("pricing");
        assertThat(pricing.get("input_micro_usd_per_million").asLong()).isEqualTo(500_000);
        assertThat(pricing.get("cached_input_micro_usd_per_million").asLong()).isEqualTo(250_000);
        assertThat(pricing.get("output_micro_usd_per_million").asLong()).isEqualTo(1_500_000);
        assertThat(pricing.get("effective_from").asString()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(get("/v1/models").json().get("data").values()).allSatisfy(m -> {
            assertThat(m.get("context_window").asInt()).isPositive();
            assertThat(m.get("pricing").get("output_micro_usd_per_million").isIntegralNumber()).isTrue();
        });
    }

    @Test
    void answersANonStreamRequestWithUsageAndCost() {
        long start = System.nanoTime();
        Answer answer = post(HELLO);

        assertThat(answer.status).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("the model's pace applies to whole answers too")
                .isGreaterThanOrEqualTo(FIRST_TOKEN_DELAY_MILLIS);
        assertThat(answer.contentType).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.get("id").asString()).startsWith("chatcmpl-");
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("model").asString()).isEqualTo("sim-1");
        assertThat(body.get("created").asLong()).isCloseTo(System.currentTimeMillis() / 1000, within(60L));
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asString()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asString()).isNotBlank();
        assertThat(choice.get("finish_reason").asString()).isEqualTo("stop");

        JsonNode usage = body.get("usage");
        int prompt = usage.get("prompt_tokens").asInt();
        int completion = usage.get("completion_tokens").asInt();
        assertThat(prompt).isEqualTo(3 + (3 + 1 + 3) + (3 + 1 + 2)); // cookbook count of the two messages
        assertThat(completion).isBetween(20, 120);
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(prompt + completion);
        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asInt()).isZero();

        JsonNode x = body.get("x_platform");
        assertThat(x.get("provider").asString()).isEqualTo("simulated");
        assertThat(x.get("usage_estimated").asBoolean()).isFalse();
        // $0.50/M input, $1.50/M output, rounded up
        assertThat(x.get("cost_micro_usd").asLong()).isPositive()
                .isEqualTo((prompt * 500_000L + completion * 1_500_000L + 999_999) / 1_000_000);
    }

    @Test
    void streamsChunksInOrderEndingWithUsageThenDoneAndMatchingTheNonStreamAnswer() {
        String nonStream = post(HELLO).json().get("choices").get(0).get("message").get("content").asString();

        List<String> events = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        String contentType = client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .body(HELLO.replace("{\"model\"", "{\"stream\":true,\"model\""))
                .exchange((req, res) -> {
                    assertThat(res.getStatusCode().value()).isEqualTo(200);
                    var lines = new BufferedReader(new InputStreamReader(res.getBody(), StandardCharsets.UTF_8));
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (!line.isEmpty()) {
                            assertThat(line).startsWith("data: ");
                            events.add(line.substring("data: ".length()));
                            arrivals.add(System.nanoTime() / 1_000_000);
                        }
                    }
                    return String.valueOf(res.getHeaders().getContentType());
                });

        assertThat(contentType).startsWith("text/event-stream");
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(arrivals.get(1) - arrivals.getFirst())
                .as("the role chunk reaches the client before the first token exists, not buffered with the rest")
                .isGreaterThanOrEqualTo(FIRST_TOKEN_DELAY_MILLIS - 50);
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(json::readTree).toList();

        JsonNode first = chunks.getFirst();
        assertThat(first.get("choices").get(0).get("delta").get("role").asString()).isEqualTo("assistant");
        assertThat(first.get("choices").get(0).get("delta").get("content").asString()).isEmpty();

        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.get("choices").size()).isZero();
        int completion = usageChunk.get("usage").get("completion_tokens").asInt();
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");

        StringBuilder content = new StringBuilder();
        List<JsonNode> contentChunks = chunks.subList(1, chunks.size() - 2);
        assertThat(contentChunks).hasSize(completion);
        for (JsonNode c : contentChunks) {
            assertThat(c.get("choices").get(0).get("finish_reason").isNull()).isTrue();
            content.append(c.get("choices").get(0).get("delta").get("content").asString());
        }
        assertThat(content.toString()).isEqualTo(nonStream);

        String id = first.get("id").asString();
        int previousCompletion = -1;
        long previousCost = -1;
        for (JsonNode c : chunks) {
            assertThat(c.get("id").asString()).isEqualTo(id);
            assertThat(c.get("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(c.has("usage")).isEqualTo(c == usageChunk);
            JsonNode x = c.get("x_platform");
            assertThat(x.get("provider").asString()).isEqualTo("simulated");
            assertThat(x.get("prompt_tokens").asInt()).isEqualTo(usageChunk.get("usage").get("prompt_tokens").asInt());
            assertThat(x.get("completion_tokens").asInt()).isGreaterThanOrEqualTo(previousCompletion);
            assertThat(x.get("cost_micro_usd").asLong()).isGreaterThanOrEqualTo(previousCost);
            previousCompletion = x.get("completion_tokens").asInt();
            previousCost = x.get("cost_micro_usd").asLong();
        }
        assertThat(previousCompletion).isEqualTo(completion);
        assertThat(previousCost).isEqualTo(post(HELLO).json().get("x_platform").get("cost_micro_usd").asLong());
    }

    @Test
    void maxTokensCutsTheAnswer() {
        JsonNode body = post("""
                {"model":"sim-1-mini","max_tokens":3,"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}""")
                .json();
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
        assertThat(body.get("choices").get(0).get("finish_reason").asString()).isEqualTo("length");
    }

    @Test
    void malformedJsonIsA400() {
        assertError(post("{\"model\":\"sim-1\",\"messages\":["), 400, "invalid_json", null);
    }

    @Test
    void missingMessagesIsA400NamingMessages() {
        assertError(post("{\"model\":\"sim-1\"}"), 400, "missing_required_parameter", "messages");
        assertError(post("{\"model\":\"sim-1\",\"messages\":[]}"), 400, "empty_array", "messages");
    }

    @Test
    void wronglyTypedFieldsAreA400NamingTheField() {
        assertError(post("{\"model\":\"sim-1\",\"messages\":\"hi\"}"), 400, "invalid_type", "messages");
        assertError(post("{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\",\"content\":42}]}"), 400,
                "invalid_type", "messages[0].content");
        assertError(post("{\"model\":\"sim-1\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400, "invalid_type", "temperature");
        assertError(post("{\"model\":\"sim-1\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}"), 400,
                "invalid_value", "messages[0].role");
        assertError(post("{\"model\":\"sim-1\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400, "array_above_max_length", "stop");
        assertError(post("{\"model\":\"sim-1\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
                400, "integer_below_min_value", "max_tokens");
    }

    @Test
    void modelsOfProvidersThatAreNotConfiguredAreNeitherListedNorServed() {
        assertThat(jdbc.sql("select count(*) from models where provider = 'openai'").query(Long.class).single())
                .as("the catalog holds the real models").isPositive();
        assertThat(get("/v1/models").body).doesNotContain("gpt-4o-mini").doesNotContain("claude-haiku-4-5");
        assertError(post(HELLO.replace("sim-1", "gpt-4o-mini")), 404, "model_not_found", null);
    }

    @Test
    void unknownModelIsA404() {
        assertError(post(HELLO.replace("sim-1", "gpt-nonexistent")), 404, "model_not_found", null);
    }

    @Test
    void moreThanOneChoiceIsRefusedNamingTheModel() {
        Answer answer = post(HELLO.replace("{\"model\"", "{\"n\":2,\"model\""));
        assertError(answer, 400, "unsupported_parameter", "n");
        assertThat(answer.json().get("error").get("message").asString()).contains("'sim-1'");
    }

    @Test
    void temperatureAboveTwoIsRefused() {
        assertError(post(HELLO.replace("{\"model\"", "{\"temperature\":3,\"model\"")), 400, "decimal_above_max_value", "temperature");
    }

    @Test
    void developerMessagesAreInstructionsLikeSystemMessages() {
        Answer answer = post(HELLO.replace("\"role\":\"system\"", "\"role\":\"developer\""));

        assertThat(answer.status).as(answer.body).isEqualTo(200);
        assertThat(answer.json().get("usage").get("prompt_tokens").asInt())
                .as("counted like the system message ('developer' and 'system' are one token each)")
                .isEqualTo(post(HELLO).json().get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void responseFormatJsonSchemaGetsJsonThatConformsToTheSchemaWholeOrStreamed() {
        String request = HELLO.replace("{\"model\"", """
                {"response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,"schema":
                   {"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"integer","minimum":-30,"maximum":45}},
                    "required":["city","celsius"],"additionalProperties":false}}},"model\"""");

        Answer answer = post(request);

        assertThat(answer.status).as(answer.body).isEqualTo(200);
        JsonNode content = json.readTree(answer.json().get("choices").get(0).get("message").get("content").asString());
        assertThat(content.get("city").isString()).isTrue();
        assertThat(content.get("celsius").asInt()).isBetween(-30, 45);
        List<JsonNode> chunks = streamChunks(request.replace("{\"response_format\"", "{\"stream\":true,\"response_format\""));
        StringBuilder streamed = new StringBuilder();
        chunks.forEach(c -> c.path("choices").path(0).path("delta").path("content").asOptional()
                .ifPresent(piece -> streamed.append(piece.asString())));
        assertThat(json.readTree(streamed.toString())).isEqualTo(content);
    }

    @Test
    void responseFormatJsonObjectGetsAJsonObject() {
        Answer answer = post(HELLO.replace("{\"model\"", "{\"response_format\":{\"type\":\"json_object\"},\"model\""));

        assertThat(answer.status).as(answer.body).isEqualTo(200);
        assertThat(json.readTree(answer.json().get("choices").get(0).get("message").get("content").asString()).isObject())
                .isTrue();
    }

    @Test
    void seedAndParallelToolCallsArePassedToTheSimulatedModelAndLogprobsAreRefusedNamingParameterAndModel() {
        String seven = post(HELLO.replace("{\"model\"", "{\"seed\":7,\"model\"")).json().get("choices").get(0)
                .get("message").get("content").asString();
        assertThat(post(HELLO.replace("{\"model\"", "{\"seed\":7,\"parallel_tool_calls\":false,\"model\"")).json()
                .get("choices").get(0).get("message").get("content").asString()).isEqualTo(seven);
        assertThat(post(HELLO.replace("{\"model\"", "{\"seed\":8,\"model\"")).json().get("choices").get(0)
                .get("message").get("content").asString()).isNotEqualTo(seven);

        Answer refused = post(HELLO.replace("{\"model\"", "{\"logprobs\":true,\"top_logprobs\":2,\"model\""));
        assertError(refused, 400, "unsupported_parameter", "logprobs");
        assertThat(refused.json().get("error").get("message").asString()).contains("'logprobs'").contains("'sim-1'");
    }

    @Test
    void imagesReachAModelThatTakesThemAndAreRefusedNamingAModelThatDoesNot() {
        String withImage = """
                {"model":"sim-1","messages":[{"role":"user","content":[{"type":"text","text":"Hello there"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]}""";
        String textOnly = """
                {"model":"sim-1","messages":[{"role":"user","content":"Hello there"}]}""";

        Answer seen = post(withImage);

        assertThat(seen.status).as(seen.body).isEqualTo(200);
        assertThat(seen.json().get("usage").get("prompt_tokens").asInt())
                .as("a low-detail image is metered as 85 input tokens, priced like any other")
                .isEqualTo(post(textOnly).json().get("usage").get("prompt_tokens").asInt() + 85);
        Answer refused = post(withImage.replace("sim-1", "sim-1-mini"));
        assertError(refused, 400, "unsupported_content", "messages");
        assertThat(refused.json().get("error").get("message").asString()).contains("'sim-1-mini'").contains("image");
        JsonNode models = get("/v1/models").json().get("data");
        for (JsonNode m : models) {
            if (m.get("id").asString().equals("sim-1")) {
                assertThat(m.get("input_modalities").toString()).isEqualTo("[\"text\",\"image\",\"file\"]");
            }
            if (m.get("id").asString().equals("sim-1-mini")) {
                assertThat(m.get("input_modalities").toString()).isEqualTo("[\"text\"]");
            }
        }
    }

    @Test
    void aToolCallIsStreamedInPiecesAsOpenAiStreamsThem() {
        String request = """
                {"model":"sim-1","stream":true,"messages":[{"role":"user","content":"Weather in Paris?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                   "properties":{"city":{"type":"string"},"unit":{"enum":["celsius","fahrenheit"]}},"required":["city","unit"]}}}],
                 "tool_choice":"required"}""";

        List<JsonNode> chunks = streamChunks(request);

        List<JsonNode> pieces = chunks.stream().map(c -> c.path("choices").path(0).path("delta").path("tool_calls"))
                .filter(JsonNode::isArray).map(a -> a.get(0)).toList();
        assertThat(pieces).hasSizeGreaterThan(3);
        JsonNode first = pieces.getFirst();
        assertThat(first.get("index").asInt()).isZero();
        assertThat(first.get("id").asString()).startsWith("call_");
        assertThat(first.get("type").asString()).isEqualTo("function");
        assertThat(first.get("function").get("name").asString()).isEqualTo("get_weather");
        assertThat(first.get("function").get("arguments").asString()).isEmpty();
        StringBuilder arguments = new StringBuilder();
        for (JsonNode piece : pieces.subList(1, pieces.size())) {
            assertThat(piece.has("id")).isFalse();
            assertThat(piece.get("function").has("name")).isFalse();
            arguments.append(piece.get("function").get("arguments").asString());
        }
        JsonNode parsed = json.readTree(arguments.toString());
        assertThat(parsed.get("unit").asString()).isIn("celsius", "fahrenheit");
        assertThat(chunks.stream().map(c -> c.path("choices").path(0).path("finish_reason").asString(""))
                .filter(r -> !r.isEmpty()).toList()).containsExactly("tool_calls");
    }

    private List<JsonNode> streamChunks(String body) {
        List<JsonNode> chunks = new ArrayList<>();
        client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange((req, res) -> {
                    assertThat(res.getStatusCode().value()).isEqualTo(200);
                    var lines = new BufferedReader(new InputStreamReader(res.getBody(), StandardCharsets.UTF_8));
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("data: {")) {
                            chunks.add(json.readTree(line.substring("data: ".length())));
                        }
                    }
                    return null;
                });
        return chunks;
    }

    @Test
    void callersWithoutAGatewayIdentityAreRefused() {
        Answer answer = RestClient.create("http://localhost:" + port).post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON).body(HELLO)
                .exchange((req, res) -> new Answer(res.getStatusCode().value(),
                        String.valueOf(res.getHeaders().getContentType()), res.bodyTo(String.class)));
        assertError(answer, 401, "unauthenticated", null);
    }

    @Test
    void aModelWithoutAPriceInForceIsNeverServed() {
        jdbc.sql("insert into models (id, provider, upstream_model, context_window, max_output_tokens) "
                + "values ('sim-unpriced', 'simulated', 'sim-1', 8192, 1024) on conflict do nothing").update();
        jdbc.sql("insert into models (id, provider, upstream_model, context_window, max_output_tokens) "
                + "values ('sim-next-year', 'simulated', 'sim-1', 8192, 1024) on conflict do nothing").update();
        jdbc.sql("insert into model_prices values ('sim-next-year', now() + interval '365 days', 1, 1, 1) "
                + "on conflict do nothing").update();
        catalog.changed();

        assertError(post(HELLO.replace("sim-1", "sim-unpriced")), 400, "model_not_priced", "model");
        assertError(post(HELLO.replace("sim-1", "sim-next-year")), 400, "model_not_priced", "model");
        assertThat(get("/v1/models").body).doesNotContain("sim-unpriced").doesNotContain("sim-next-year");
    }

    @Test
    void everyUpstreamCallIsPublishedOnLlmCalls() {
        var headersAndBody = client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .body(HELLO.replace("sim-1", "sim-1-mini"))
                .exchange((req, res) -> new Object[]{res.getHeaders().getFirst("X-Request-Id"), res.bodyTo(String.class)});
        String requestId = (String) headersAndBody[0];
        JsonNode answer = json.readTree((String) headersAndBody[1]);
        String eventId = EventIds.of(LlmCallRecorded.TYPE, requestId + ":1");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.sql("select count(*) from outbox_events where id = :id and published_at is not null")
                        .param("id", eventId).query(Integer.class).single() == 1);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            records.clear();
            records.addAll(KafkaProbe.readAll(LlmCallRecorded.TYPE.topic(), r -> eventId.equals(header(r, CloudEventHeaders.ID)),
                    Duration.ofMillis(500)));
            return !records.isEmpty();
        });

        assertThat(records).hasSize(1);
        assertThat(records.getFirst().key()).isEqualTo("acc-provider-test");
        LlmCallRecorded event = json.readValue(records.getFirst().value(), LlmCallRecorded.class);
        assertThat(event.requestId()).isEqualTo(requestId);
        assertThat(event.attempt()).isEqualTo(1);
        assertThat(event.provider()).isEqualTo("simulated");
        assertThat(event.model()).isEqualTo("sim-1-mini");
        assertThat(event.upstreamModel()).isEqualTo("sim-1-mini");
        assertThat(event.outcome()).isEqualTo(LlmCallRecorded.Outcome.SUCCESS);
        assertThat(event.errorClass()).isNull();
        assertThat(event.inputTokens()).isEqualTo(answer.get("usage").get("prompt_tokens").asLong());
        assertThat(event.outputTokens()).isEqualTo(answer.get("usage").get("completion_tokens").asLong());
        assertThat(event.costMicroUsd()).isEqualTo(answer.get("x_platform").get("cost_micro_usd").asLong());
        assertThat(event.flagVariants()).isEmpty();
        assertThat(event.latencyMs()).isGreaterThanOrEqualTo(FIRST_TOKEN_DELAY_MILLIS);
        assertThat(answer.get("x_platform").get("attempts").asInt()).isEqualTo(1);
        assertThat(answer.get("x_platform").get("model").asString()).isEqualTo("sim-1-mini");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void assertError(Answer answer, int status, String code, String param) {
        assertThat(answer.status).as(answer.body).isEqualTo(status);
        JsonNode error = answer.json().get("error");
        assertThat(error).as(answer.body).isNotNull();
        assertThat(error.get("code").asString()).isEqualTo(code);
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.get("type").asString()).isNotBlank();
        if (param != null) {
            assertThat(error.get("param").asString()).isEqualTo(param);
        }
    }

    private Answer post(String body) {
        return client().post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange((req, res) -> new Answer(res.getStatusCode().value(),
                        String.valueOf(res.getHeaders().getContentType()), res.bodyTo(String.class)));
    }

    private Answer get(String path) {
        return client().get().uri(path)
                .exchange((req, res) -> new Answer(res.getStatusCode().value(),
                        String.valueOf(res.getHeaders().getContentType()), res.bodyTo(String.class)));
    }

    private RestClient client() {
        HttpHeaders identity = TestIdentities.chatCaller("acc-provider-test");
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeaders(h -> h.addAll(identity)).build();
    }

    private record Answer(int status, String contentType, String body) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(body);
        }
    }
}

package dev.chatplatform.chat;

import com.zaxxer.hikari.HikariDataSource;
import dev.chatplatform.chat.context.TokenCounter;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import io.micrometer.core.instrument.MeterRegistry;
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

import javax.sql.DataSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PlatformIntegrationTest
class ChatCompletionsIntegrationTest {

    static final ProviderStub provider = ProviderStub.start();
    static final UsageStub usage = UsageStub.start();
    private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]";

    @DynamicPropertySource
    static void providerUrl(DynamicPropertyRegistry registry) {
        registry.add("chat.provider.url", provider::url);
        registry.add("chat.budget.usage-url", usage::url);
        registry.add("chat.budget.lease.enabled", () -> "true");
        // an account's tier is known here only from a lease (UsageStub's answer no tier with holds): only accounts
        // that hold a lease fail open, every other account fails closed
        registry.add("chat.budget.fail-open-tiers", () -> "pro");
        // a usage write that finds no connection fails after 1 s (5 s in production), then is retried
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @AfterAll
    static void stopProvider() {
        provider.close();
        usage.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aNonStreamAnswerIsRelayedWithoutXPlatformAndRecordedOnce() throws Exception {
        String requestId = newRequestId();
        var response = post("acc-plain", requestId, """
                {"model":"sim-1",%s,"temperature":0.2,"a_field_openai_added_later":true}""".formatted(HELLO));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.path("choices").path(0).path("message").path("content").asString()).isEqualTo("Hello from the provider stub.");
        assertThat(answer.path("usage").path("total_tokens").asLong()).isEqualTo(17);
        assertThat(answer.has("x_platform")).isFalse();

        ProviderStub.Received upstream = provider.received.get(requestId);
        assertThat(upstream.caller()).as("a token of its own for provider-service, on the caller's behalf")
                .isEqualTo(new CallerIdentity("acc-plain", "k_test", Set.of("chat"), "chat-service"));
        assertThat(upstream.identity()).as("the gateway's token for chat-service is not passed on")
                .isNotEqualTo(response.request().headers().firstValue("X-Platform-Identity").orElseThrow());
        assertThat(upstream.body().path("a_field_openai_added_later").asBoolean()).as("unknown fields pass through").isTrue();

        ConsumerRecord<String, String> record = onlyUsageEvent(requestId);
        assertThat(record.key()).isEqualTo("acc-plain");
        assertThat(header(record, CloudEventHeaders.ID)).isEqualTo(EventIds.of(UsageRecorded.TYPE, requestId));
        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo("usage.recorded.v1");
        assertThat(header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo("chat-service");
        assertThat(header(record, CloudEventHeaders.SUBJECT)).isEqualTo("acc-plain");
        assertThat(header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
        JsonNode event = json.readTree(record.value());
        assertThat(event.path("accountId").asString()).isEqualTo("acc-plain");
        assertThat(event.path("apiKeyId").asString()).isEqualTo("k_test");
        assertThat(event.path("model").asString()).isEqualTo("sim-1");
        assertThat(event.path("provider").asString()).isEqualTo("simulated");
        assertThat(event.path("inputTokens").asLong()).isEqualTo(12);
        assertThat(event.path("cachedInputTokens").asLong()).isEqualTo(2);
        assertThat(event.path("outputTokens").asLong()).isEqualTo(5);
        assertThat(event.path("costMicroUsd").asLong()).isEqualTo(ProviderStub.cost(12, 2, 5)).isEqualTo(13);
        assertThat(event.path("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(event.path("streamed").asBoolean()).isFalse();
        assertThat(event.path("timeToFirstTokenMs").isNull()).isTrue();
        assertThat(event.path("latencyMs").asLong()).isNotNegative();
        assertThat(event.path("occurredAt").asString()).isNotBlank();
    }

    @Test
    void aStreamIsRelayedChunkByChunkWithoutTheUsageChunkUnlessAsked() throws Exception {
        String requestId = newRequestId();
        List<String> events = stream("acc-stream", requestId, """
                {"model":"sim-1","stream":true,%s}""".formatted(HELLO));

        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events).noneMatch(e -> e.contains("x_platform")).noneMatch(e -> e.contains("\"usage\""));
        assertThat(contentOf(events)).isEqualTo("Hello from the provider stub.");
        assertThat(provider.received.get(requestId).body().path("stream_options").path("include_usage").asBoolean())
                .as("usage is always requested upstream").isTrue();

        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(event.path("streamed").asBoolean()).isTrue();
        assertThat(event.path("inputTokens").asLong()).isEqualTo(12);
        assertThat(event.path("cachedInputTokens").asLong()).isEqualTo(2);
        assertThat(event.path("outputTokens").asLong()).isEqualTo(5);
        assertThat(event.path("costMicroUsd").asLong()).isEqualTo(13);
        assertThat(event.path("timeToFirstTokenMs").isIntegralNumber()).isTrue();
    }

    @Test
    void theNewerOpenAiParametersAreAcceptedAndReachProviderServiceUntouched() throws Exception {
        String requestId = newRequestId();
        String body = """
                {"model":"sim-1","messages":[{"role":"developer","content":"Answer in JSON."},
                   {"role":"user","content":[{"type":"text","text":"What is this?"},
                     {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}},
                     {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}}]}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"}}},
                 "seed":42,"parallel_tool_calls":false,"logprobs":true,"top_logprobs":2,"n":1}""";

        var response = post("acc-new-fields", requestId, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode upstream = provider.received.get(requestId).body();
        JsonNode sent = json.readTree(body);
        for (String field : List.of("messages", "response_format", "seed", "parallel_tool_calls", "logprobs", "top_logprobs")) {
            assertThat(upstream.get(field)).as(field).isEqualTo(sent.get(field));
        }
        TokenCounter counter = new TokenCounter();
        assertThat(usage.holds.get(requestId).body().path("promptTokens").asLong())
                .as("the hold counts the image (85 tokens at low detail) and the file (at least as much) as input")
                .isEqualTo(3 + 3 + counter.count("developer") + counter.count("Answer in JSON.")
                        + 3 + counter.count("user") + counter.count("What is this?") + 85 + 85);
    }

    @Test
    void toolCallsAreRelayedPieceByPieceAsTheProviderStreamsThem() throws Exception {
        List<String> events = stream("acc-tools", newRequestId(), """
                {"model":"sim-tools","stream":true,%s,"tools":[{"type":"function","function":{"name":"get_weather"}}]}"""
                .formatted(HELLO));

        List<JsonNode> pieces = events.stream().filter(e -> !e.equals("[DONE]")).map(json::readTree)
                .map(c -> c.path("choices").path(0).path("delta").path("tool_calls"))
                .filter(JsonNode::isArray).map(a -> a.get(0)).toList();
        assertThat(pieces).hasSize(1 + ProviderStub.TOOL_ARGUMENTS.size());
        assertThat(pieces.getFirst().path("function").path("name").asString()).isEqualTo("get_weather");
        assertThat(pieces.stream().skip(1).map(p -> p.path("function").path("arguments").asString()).toList())
                .isEqualTo(ProviderStub.TOOL_ARGUMENTS);
    }

    @Test
    void autoIsResolvedBeforeTheHoldSoHoldUsageAndAnswerNameTheChosenModel() throws Exception {
        String requestId = newRequestId();

        var response = post("acc-auto", requestId, "{\"model\":\"auto\",%s}".formatted(HELLO));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(provider.autoChoices).contains(requestId);
        String header = ProviderStub.AUTO_CHOICE + "; reason=\"" + ProviderStub.AUTO_REASON + "\"";
        assertThat(response.headers().firstValue("X-Platform-Auto-Model")).contains(header);
        assertThat(json.readTree(response.body()).path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(usage.holds.get(requestId).body().path("model").asString())
                .as("the tier's limits are checked for the chosen model, not for 'auto'").isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(provider.received.get(requestId).body().path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(provider.received.get(requestId).autoModel()).as("provider-service still reports the choice").isEqualTo(header);
        assertThat(json.readTree(onlyUsageEvent(requestId).value()).path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);

        String streamed = newRequestId();
        List<String> events = stream("acc-auto", streamed, "{\"model\":\"auto\",\"stream\":true,%s}".formatted(HELLO));
        assertThat(json.readTree(events.getFirst()).path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(usage.holds.get(streamed).body().path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(json.readTree(onlyUsageEvent(streamed).value()).path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
    }

    @Test
    void aStreamEndsWithTheUsageChunkThenDoneWhenTheClientAskedForUsage() throws Exception {
        String requestId = newRequestId();
        List<String> events = stream("acc-stream-usage", requestId, """
                {"model":"sim-1","stream":true,"stream_options":{"include_usage":true},%s}""".formatted(HELLO));

        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode usageChunk = json.readTree(events.get(events.size() - 2));
        assertThat(usageChunk.path("choices").isEmpty()).isTrue();
        assertThat(usageChunk.path("usage").path("completion_tokens").asLong()).isEqualTo(5);
        assertThat(usageChunk.has("x_platform")).isFalse();
        assertThat(events).noneMatch(e -> e.contains("x_platform"));
        assertThat(onlyUsageEvent(requestId)).isNotNull();
    }

    @Test
    void aClientLeavingMidStreamStopsTheGenerationAndIsBilledForWhatWasProduced() throws Exception {
        String requestId = newRequestId();
        byte[] body = """
                {"model":"sim-slow","stream":true,%s}""".formatted(HELLO).getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Platform-Identity: " + identityOf("acc-leaver") + "\r\nX-Request-Id: " + requestId + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 ");
            int chunks = 0;
            for (String line = in.readLine(); line != null && chunks < 4; line = in.readLine()) {
                if (line.startsWith("data: ")) {
                    chunks++;
                }
            }
            assertThat(chunks).isEqualTo(4);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("chunks arrive as generated (the whole stream takes 6 s)").isLessThan(Duration.ofSeconds(3));

        await().atMost(Duration.ofSeconds(5)).until(() -> provider.abandoned.contains(requestId));
        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("outcome").asString()).isEqualTo("CLIENT_DISCONNECTED");
        assertThat(event.path("streamed").asBoolean()).isTrue();
        assertThat(event.path("inputTokens").asLong()).isEqualTo(12);
        long produced = event.path("outputTokens").asLong();
        assertThat(produced).isBetween(3L, 100L);
        assertThat(event.path("costMicroUsd").asLong()).isEqualTo(ProviderStub.cost(12, 2, produced));
    }

    @Test
    void aProviderFailingMidStreamEndsTheStreamWithAnErrorEventAndBillsThePartialAnswer() throws Exception {
        String requestId = newRequestId();
        List<String> events = stream("acc-cut", requestId, """
                {"model":"sim-cut","stream":true,%s}""".formatted(HELLO));

        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode error = json.readTree(events.get(events.size() - 2));
        assertThat(error.path("error").path("code").asString()).isEqualTo("upstream_unavailable");
        assertThat(contentOf(events)).isEqualTo("Hello from the");

        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("outcome").asString()).isEqualTo("UPSTREAM_ERROR");
        assertThat(event.path("outputTokens").asLong()).isEqualTo(3);
    }

    @Test
    void theSameRequestIdTwiceIsBilledOnce() throws Exception {
        String requestId = newRequestId();
        String body = """
                {"model":"sim-1",%s}""".formatted(HELLO);
        assertThat(post("acc-retry", requestId, body).statusCode()).isEqualTo(200);
        assertThat(post("acc-retry", requestId, body).statusCode()).isEqualTo(200);

        assertThat(onlyUsageEvent(requestId).key()).isEqualTo("acc-retry");
        assertThat(outboxRowsMentioning(requestId)).isEqualTo(1);
    }

    @Test
    void badInputIsRefusedInOpenAiShapeNamingTheProblemAndBillsNothing() throws Exception {
        record Case(String body, int status, String code, String param) {
        }
        String msg = HELLO;
        List<Case> cases = List.of(
                new Case("{\"model\":\"sim-1\",", 400, "invalid_json", null),
                new Case("", 400, "invalid_body", null),
                new Case("{%s}".formatted(msg), 400, "missing_required_parameter", "model"),
                new Case("{\"model\":\"sim-1\"}", 400, "missing_required_parameter", "messages"),
                new Case("{\"model\":\"sim-1\",\"messages\":[]}", 400, "empty_array", "messages"),
                new Case("{\"model\":7,%s}".formatted(msg), 400, "invalid_type", "model"),
                new Case("{\"model\":\"sim-1\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", 400, "invalid_value", "messages[0].role"),
                new Case("{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\",\"content\":{}}]}", 400, "invalid_type", "messages[0].content"),
                new Case("{\"model\":\"sim-1\",%s,\"temperature\":2.5}".formatted(msg), 400, "decimal_above_max_value", "temperature"),
                new Case("{\"model\":\"sim-1\",%s,\"top_p\":\"all\"}".formatted(msg), 400, "invalid_type", "top_p"),
                new Case("{\"model\":\"sim-1\",%s,\"max_tokens\":0}".formatted(msg), 400, "integer_below_min_value", "max_tokens"),
                new Case("{\"model\":\"sim-1\",%s,\"n\":129}".formatted(msg), 400, "integer_above_max_value", "n"),
                new Case("{\"model\":\"sim-1\",%s,\"response_format\":{\"type\":\"xml\"}}".formatted(msg), 400, "invalid_value", "response_format.type"),
                new Case("{\"model\":\"sim-1\",%s,\"top_logprobs\":2}".formatted(msg), 400, "invalid_value", "top_logprobs"),
                new Case("{\"model\":\"sim-1\",%s,\"seed\":\"42\"}".formatted(msg), 400, "invalid_type", "seed"),
                new Case("{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}",
                        400, "missing_required_parameter", "messages[0].content[0].image_url.url"),
                new Case("{\"model\":\"sim-1\",%s,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"g\"}}}".formatted(msg),
                        400, "invalid_value", "tool_choice.function.name"),
                new Case("{\"model\":\"sim-1\",%s,\"stream\":\"true\"}".formatted(msg), 400, "invalid_type", "stream"),
                new Case("{\"model\":\"sim-1\",%s,\"stream\":true,\"stream_options\":{\"include_usage\":\"y\"}}".formatted(msg),
                        400, "invalid_type", "stream_options.include_usage"),
                new Case("{\"model\":\"sim-1\",%s,\"stop\":[\"1\",\"2\",\"3\",\"4\",\"5\"]}".formatted(msg), 400, "array_above_max_length", "stop"),
                new Case("{\"model\":\"sim-1\",%s,\"pad\":\"%s\"}".formatted(msg, "x".repeat(1_100_000)), 413, "request_too_large", null),
                new Case("{\"model\":\"no-such-model\",%s}".formatted(msg), 404, "model_not_found", "model"),
                new Case("{\"model\":\"no-such-model\",\"stream\":true,%s}".formatted(msg), 404, "model_not_found", "model"));

        List<String> requestIds = new ArrayList<>();
        for (Case c : cases) {
            String requestId = newRequestId();
            requestIds.add(requestId);
            var response = post("acc-bad", requestId, c.body());
            String what = c.body().length() > 120 ? c.body().substring(0, 120) : c.body();
            assertThat(response.statusCode()).as(what).isEqualTo(c.status());
            assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("code").asString()).as(what).isEqualTo(c.code());
            assertThat(error.path("type").asString()).as(what).isNotBlank();
            assertThat(error.path("message").asString()).as(what).isNotBlank().doesNotContain("Exception");
            if (c.param() != null) {
                assertThat(error.path("param").asString()).as(what).isEqualTo(c.param());
            }
        }
        for (String requestId : requestIds) {
            assertThat(outboxRowsMentioning(requestId)).as("no usage for %s", requestId).isZero();
        }
    }

    @Test
    void aStreamingClientAcceptingOnlyEventStreamStillGetsItsErrorAsJson() throws Exception {
        var response = http.send(HttpRequest.newBuilder(completionsUri())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("X-Platform-Identity", identityOf("acc-sse"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-1\",\"stream\":true,\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).path("error").path("param").asString()).isEqualTo("messages");
    }

    @Test
    void aCallerWithoutAGatewayIdentityIsRefused() throws Exception {
        var response = http.send(HttpRequest.newBuilder(completionsUri())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-1\",%s}".formatted(HELLO))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json.readTree(response.body()).path("error").path("code").asString()).isEqualTo("unauthenticated");
    }

    @Test
    void aProviderThatIsDownOrFailingIsABadGateway() throws Exception {
        for (String body : List.of(
                "{\"model\":\"sim-broken\",%s}".formatted(HELLO),
                "{\"model\":\"sim-hangup\",%s}".formatted(HELLO),
                "{\"model\":\"sim-broken\",\"stream\":true,%s}".formatted(HELLO),
                "{\"model\":\"sim-hangup\",\"stream\":true,%s}".formatted(HELLO))) {
            String requestId = newRequestId();
            var response = post("acc-down", requestId, body);
            assertThat(response.statusCode()).as(body).isEqualTo(502);
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("code").asString()).as(body).isEqualTo("upstream_unavailable");
            assertThat(error.path("message").asString()).as(body).doesNotContain("boom");
            assertThat(outboxRowsMentioning(requestId)).isZero();
            assertThat(usage.released).as("nothing consumed: the hold is released").contains(UsageStub.holdIdOf(requestId));
        }
    }

    @Test
    void aRefusalBeforeAnyOutputKeepsItsStatusAndRetryAfterStreamedOrNotAndBillsNothing() throws Exception {
        record Case(String model, boolean stream, int status, String type, String code, String retryAfter) {
        }
        List<Case> cases = new ArrayList<>();
        for (boolean stream : List.of(false, true)) {
            cases.add(new Case("sim-busy", stream, 429, "rate_limit_error", "concurrency_limited", "1"));
            cases.add(new Case("sim-unavailable", stream, 503, "api_error", "upstream_unavailable", "30"));
        }
        for (Case c : cases) {
            String requestId = newRequestId();
            var response = post("acc-refused", requestId, """
                    {"model":"%s","stream":%s,%s}""".formatted(c.model(), c.stream(), HELLO));

            assertThat(response.statusCode()).as(c.toString()).isEqualTo(c.status());
            assertThat(response.headers().firstValue("Retry-After")).as(c.toString()).contains(c.retryAfter());
            assertThat(response.headers().firstValue("Content-Type")).as(c.toString()).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("type").asString()).as(c.toString()).isEqualTo(c.type());
            assertThat(error.path("code").asString()).as(c.toString()).isEqualTo(c.code());
            assertThat(error.path("message").asString()).as(c.toString()).contains("'" + c.model() + "'");
            assertThat(provider.received).as("it reached provider-service").containsKey(requestId);
            assertThat(outboxRowsMentioning(requestId)).as("no usage for nothing consumed").isZero();
            assertThat(usage.released).as("nothing consumed: the hold is released").contains(UsageStub.holdIdOf(requestId));
        }
    }

    // --- budget holds ---

    @Test
    void everyChoiceAndItsLogprobsAreRelayedUnchangedAndTheHoldCoversNTimesMaxTokens() throws Exception {
        usage.caps.put("acc-choices", 25L);
        String requestId = newRequestId();
        var response = post("acc-choices", requestId, """
                {"model":"sim-choices",%s,"n":2,"logprobs":true,"top_logprobs":1,"max_tokens":20}""".formatted(HELLO));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.path("choices")).hasSize(2);
        assertThat(answer.path("choices").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(answer.path("choices").path(1).path("logprobs")).isEqualTo(json.readTree(ProviderStub.CHOICE_LOGPROBS));
        assertThat(usage.holds.get(requestId).body().path("maxTokens").asLong())
                .as("both choices' completion tokens are billed: n x max_tokens").isEqualTo(40);
        JsonNode upstream = provider.received.get(requestId).body();
        assertThat(upstream.path("n").asInt()).isEqualTo(2);
        assertThat(upstream.path("logprobs").asBoolean()).isTrue();
        assertThat(upstream.path("max_tokens").asLong()).as("the grant of 25 shared by the 2 choices").isEqualTo(12);

        String streamed = newRequestId();
        List<String> events = stream("acc-choices-stream", streamed, """
                {"model":"sim-choices",%s,"stream":true,"n":2,"logprobs":true,"max_tokens":20}""".formatted(HELLO));
        JsonNode second = events.stream().filter(e -> !e.equals("[DONE]")).map(json::readTree)
                .filter(e -> e.path("choices").path(0).path("index").asInt() == 1).findFirst().orElseThrow();
        assertThat(second.path("choices").path(0).path("delta").path("content").asString()).isEqualTo("Hi");
        assertThat(second.path("choices").path(0).path("logprobs")).isEqualTo(json.readTree(ProviderStub.CHOICE_LOGPROBS));
        assertThat(usage.holds.get(streamed).body().path("maxTokens").asLong()).isEqualTo(40);
    }

    @Test
    void aHoldIsPlacedForTheWorstCaseBeforeTheCallAndMaxTokensIsClampedToTheGrant() throws Exception {
        usage.caps.put("acc-hold", 40L);
        String requestId = newRequestId();
        var response = post("acc-hold", requestId, """
                {"model":"sim-1",%s,"max_tokens":50}""".formatted(HELLO));
        assertThat(response.statusCode()).isEqualTo(200);

        UsageStub.Received hold = usage.holds.get(requestId);
        TokenCounter counter = new TokenCounter();
        assertThat(hold.body().path("requestId").asString()).isEqualTo(requestId);
        assertThat(hold.requestIdHeader()).isEqualTo(requestId);
        assertThat(hold.caller()).as("a token of its own for usage-service, on the caller's behalf")
                .isEqualTo(new CallerIdentity("acc-hold", "k_test", Set.of("chat"), "chat-service"));
        assertThat(hold.body().path("streamed").asBoolean()).isFalse();
        assertThat(hold.body().path("model").asString()).isEqualTo("sim-1");
        assertThat(hold.body().path("promptTokens").asLong()).as("3 to prime + 3 per message + role + content")
                .isEqualTo(3 + 3 + counter.count("user") + counter.count("Say hello"));
        assertThat(hold.body().path("maxTokens").asLong()).isEqualTo(50);
        assertThat(hold.body().path("inputPriceMicroUsdPerMillion").asLong()).isEqualTo(500_000);
        assertThat(hold.body().path("outputPriceMicroUsdPerMillion").asLong()).isEqualTo(1_500_000);
        assertThat(provider.received.get(requestId).body().path("max_tokens").asLong()).as("clamped to the grant").isEqualTo(40);
        assertThat(onlyUsageEvent(requestId)).isNotNull();
        assertThat(usage.released).as("the usage event settles the hold").doesNotContain(UsageStub.holdIdOf(requestId));

        String unlimited = newRequestId();
        assertThat(post("acc-hold-default", unlimited, "{\"model\":\"sim-1\",%s}".formatted(HELLO)).statusCode()).isEqualTo(200);
        assertThat(usage.holds.get(unlimited).body().path("maxTokens").asLong())
                .as("no max_tokens: the model's maximum output").isEqualTo(16384);
        assertThat(provider.received.get(unlimited).body().has("max_tokens"))
                .as("granted in full: the provider's own limit applies").isFalse();

        String completionTokens = newRequestId();
        usage.caps.put("acc-hold-mct", 7L);
        assertThat(post("acc-hold-mct", completionTokens, """
                {"model":"sim-1",%s,"max_completion_tokens":30}""".formatted(HELLO)).statusCode()).isEqualTo(200);
        assertThat(usage.holds.get(completionTokens).body().path("maxTokens").asLong()).isEqualTo(30);
        assertThat(provider.received.get(completionTokens).body().path("max_completion_tokens").asLong()).isEqualTo(7);
    }

    @Test
    void aRequestDrawnFromABudgetLeaseNamesTheLeaseInItsUsageEventStreamedOrNot() throws Exception {
        String account = "acc-leased";
        String first = newRequestId();
        assertThat(post(account, first, "{\"model\":\"sim-1\",%s}".formatted(HELLO)).statusCode()).isEqualTo(200);
        assertThat(usage.leases).as("the first request waited for the account's lease").contains(UsageStub.leaseIdOf(account));

        String plain = newRequestId();
        assertThat(post(account, plain, "{\"model\":\"sim-1\",%s}".formatted(HELLO)).statusCode()).isEqualTo(200);
        String streamed = newRequestId();
        assertThat(stream(account, streamed, "{\"model\":\"sim-1\",\"stream\":true,%s}".formatted(HELLO)).getLast())
                .isEqualTo("[DONE]");
        for (String requestId : List.of(first, plain, streamed)) {
            assertThat(usage.holds).as("drawn from the lease: no hold").doesNotContainKey(requestId);
            JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
            assertThat(event.path("leaseId").asString()).isEqualTo(UsageStub.leaseIdOf(account));
            assertThat(event.path("outputTokens").asLong()).isEqualTo(5);
        }
    }

    @Test
    void aStreamsUsageThatFindsNoDatabaseConnectionIsRecordedOnceTheDatabaseHasOneWithItsLease() throws Exception {
        String account = "acc-pool-leased";
        String requestId = newRequestId();
        double retriedBefore = meters.counter("chat.usage.record.retries").count();
        List<Connection> taken = new ArrayList<>();
        try {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            while (taken.size() < pool.getMaximumPoolSize()) { // every connection, as a burst of streams ending would
                taken.add(pool.getConnection());
            }
            assertThat(stream(account, requestId, "{\"model\":\"sim-1\",\"stream\":true,%s}".formatted(HELLO)).getLast())
                    .as("the stream ends without waiting for its usage to be written").isEqualTo("[DONE]");
            assertThat(meters.counter("chat.usage.record.retries").count()).isEqualTo(retriedBefore + 1);
        } finally {
            for (Connection c : taken) {
                c.close();
            }
        }
        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("leaseId").asString()).as("the retried event still names its lease")
                .isEqualTo(UsageStub.leaseIdOf(account));
        assertThat(event.path("outputTokens").asLong()).isEqualTo(5);
    }

    @Test
    void aRequestServedWithoutAReservationWhileItsAccountHoldsALeaseNamesNoLease() throws Exception {
        String account = "acc-usage-down-leased"; // leases granted, holds answered 503
        post(account, newRequestId(), "{\"model\":\"sim-1\",%s}".formatted(HELLO)); // draws from the account's new lease
        assertThat(usage.leases).contains(UsageStub.leaseIdOf(account));

        // more than the lease holds: not drawn; the hold fails; the lease said the tier (pro) fails open
        String requestId = newRequestId();
        var response = post(account, requestId, "{\"model\":\"sim-1\",\"max_tokens\":%d,%s}"
                .formatted(UsageStub.LEASE_TOKENS, HELLO));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("leaseId").isNull()).as("no lease reserved it: usage-service counts it as plain usage")
                .isTrue();
        String drawn = newRequestId();
        assertThat(post(account, drawn, "{\"model\":\"sim-1\",%s}".formatted(HELLO)).statusCode()).isEqualTo(200);
        assertThat(json.readTree(onlyUsageEvent(drawn).value()).path("leaseId").asString())
                .isEqualTo(UsageStub.leaseIdOf(account));
    }

    @Test
    void aStreamLongerThanTheGatewaysTokenLifetimeStillReleasesItsHoldAtOnce() throws Exception {
        // the gateway's token for chat-service lives 1 s; the provider answers nothing for 2.5 s, then fails
        String requestId = newRequestId();
        HttpRequest request = HttpRequest.newBuilder(completionsUri())
                .header("Content-Type", "application/json")
                .header("X-Platform-Identity", TestIdentities.tokenFor("chat-service", Duration.ofSeconds(1),
                        new CallerIdentity("acc-long", "k_test", Set.of("chat"))))
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-fails-late\",\"stream\":true,%s}".formatted(HELLO)))
                .build();
        long started = System.nanoTime();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(2));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("stream_failed").endsWith("data: [DONE]\n\n");
        assertThat(usage.holds.get(requestId).body().path("streamed").asBoolean()).isTrue();
        assertThat(usage.released).as("nothing consumed: released at once, with a token minted for the release")
                .contains(UsageStub.holdIdOf(requestId));
        assertThat(outboxRowsMentioning(requestId)).isZero();
    }

    @Test
    void whenTheUsageEventCannotBeWrittenTheHoldIsLeftForUsageServiceToBillAndTheAnswerIsGiven() throws Exception {
        UnwritableOutbox.install(jdbc); // the database refuses these requests' usage events
        String plain = UnwritableOutbox.PREFIX + UUID.randomUUID();
        var response = post("acc-unwritable", plain, "{\"model\":\"sim-1\",%s}".formatted(HELLO));
        assertThat(response.statusCode()).as("the provider answered and the hold covers it: the answer is given")
                .isEqualTo(200);
        assertThat(json.readTree(response.body()).at("/choices/0/message/content").asString()).isNotBlank();

        String streamed = UnwritableOutbox.PREFIX + UUID.randomUUID();
        List<String> events = stream("acc-unwritable", streamed, "{\"model\":\"sim-1\",\"stream\":true,%s}".formatted(HELLO));
        assertThat(contentOf(events)).isEqualTo(String.join("", ProviderStub.ANSWER));

        for (String requestId : List.of(plain, streamed)) {
            assertThat(outboxRowsMentioning(requestId)).as("no usage event could be written").isZero();
            assertThat(usage.released).as("released, the usage would be lost: the hold expires and is billed from "
                    + "provider-service's record of the call").doesNotContain(UsageStub.holdIdOf(requestId));
        }
    }

    @Test
    void aRefusalByUsageServicePassesThroughAs429AndNothingGoesUpstreamNorIsBilled() throws Exception {
        for (String body : List.of("{\"model\":\"sim-1\",%s}".formatted(HELLO),
                "{\"model\":\"sim-1\",\"stream\":true,%s}".formatted(HELLO))) {
            String requestId = newRequestId();
            var response = post("acc-over-budget", requestId, body);
            assertThat(response.statusCode()).as(body).isEqualTo(429);
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("type").asString()).isEqualTo("insufficient_quota");
            assertThat(error.path("code").asString()).isEqualTo("monthly_budget_exceeded");
            assertThat(error.path("message").asString()).contains("free tier");
            assertThat(usage.holds).containsKey(requestId);
            assertThat(provider.received).as("nothing is sent upstream").doesNotContainKey(requestId);
            assertThat(outboxRowsMentioning(requestId)).isZero();
        }
    }

    @Test
    void whenUsageServiceCannotBeReachedTheRequestFailsClosedWith503() throws Exception {
        for (String body : List.of("{\"model\":\"sim-1\",%s}".formatted(HELLO),
                "{\"model\":\"sim-1\",\"stream\":true,%s}".formatted(HELLO))) {
            String requestId = newRequestId();
            var response = post("acc-usage-down", requestId, body);
            assertThat(response.statusCode()).as(body).isEqualTo(503);
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("budget_service_unavailable");
            assertThat(error.path("type").asString()).isEqualTo("server_error");
            assertThat(provider.received).doesNotContainKey(requestId);
            assertThat(outboxRowsMentioning(requestId)).isZero();
        }
    }

    @Test
    void anUnknownModelIsRefusedBeforeAnyHold() throws Exception {
        String requestId = newRequestId();
        var response = post("acc-hold-unknown", requestId, "{\"model\":\"no-such-model\",%s}".formatted(HELLO));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json.readTree(response.body()).path("error").path("code").asString()).isEqualTo("model_not_found");
        assertThat(usage.holds).doesNotContainKey(requestId);
    }

    @Test
    void aStreamOutgrowingItsHoldIsCutWithATerminalErrorAndThePartialAnswerIsBilled() throws Exception {
        usage.caps.put("acc-hold-cut", 3L);
        String requestId = newRequestId();
        List<String> events = stream("acc-hold-cut", requestId, """
                {"model":"sim-1","stream":true,"stream_options":{"include_usage":true},%s}""".formatted(HELLO));

        assertThat(provider.received.get(requestId).body().path("max_tokens").asLong())
                .as("clamped upstream (the stub ignores it)").isEqualTo(3);
        assertThat(contentOf(events)).isEqualTo("Hello from the");
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode error = json.readTree(events.get(events.size() - 2)).path("error");
        assertThat(error.path("type").asString()).isEqualTo("insufficient_quota");
        assertThat(error.path("code").asString()).isEqualTo("hold_exceeded");
        assertThat(events).noneMatch(e -> e.contains("\"usage\"")).noneMatch(e -> e.contains("x_platform"));

        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("outcome").asString()).isEqualTo("UPSTREAM_ERROR");
        assertThat(event.path("outputTokens").asLong()).as("what the provider produced, the cut token included").isEqualTo(4);
        assertThat(event.path("costMicroUsd").asLong()).isEqualTo(ProviderStub.cost(12, 2, 4));
        assertThat(usage.released).doesNotContain(UsageStub.holdIdOf(requestId));
    }

    @Test
    void reportsReadinessAndPrometheusMetricsWithoutIdentity() throws Exception {
        Map<String, String> acceptByPath = Map.of("/actuator/health/readiness", "application/json",
                "/actuator/prometheus", "text/plain");
        acceptByPath.forEach((path, accept) -> {
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(200);
            } catch (Exception e) {
                throw new AssertionError(path, e);
            }
        });
    }

    // --- helpers ---

    private static String newRequestId() {
        return "req-" + UUID.randomUUID();
    }

    private static String identityOf(String accountId) {
        return TestIdentities.token(accountId, "chat");
    }

    private URI completionsUri() {
        return URI.create("http://localhost:" + port + "/v1/chat/completions");
    }

    private HttpRequest request(String accountId, String requestId, String body) {
        return HttpRequest.newBuilder(completionsUri())
                .header("Content-Type", "application/json")
                .header("X-Platform-Identity", identityOf(accountId))
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<String> post(String accountId, String requestId, String body) throws Exception {
        return http.send(request(accountId, requestId, body), HttpResponse.BodyHandlers.ofString());
    }

    /** The data of every SSE event of a streamed answer, in order. */
    private List<String> stream(String accountId, String requestId, String body) throws Exception {
        var response = http.send(request(accountId, requestId, body), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        try (var lines = response.body()) {
            return lines.filter(l -> l.startsWith("data: ")).map(l -> l.substring("data: ".length())).toList();
        }
    }

    private String contentOf(List<String> events) {
        StringBuilder text = new StringBuilder();
        for (String e : events) {
            if (!e.equals("[DONE]")) {
                for (JsonNode choice : json.readTree(e).path("choices")) {
                    text.append(choice.path("delta").path("content").asString(""));
                }
            }
        }
        return text.toString();
    }

    private int outboxRowsMentioning(String requestId) {
        return jdbc.sql("select count(*) from outbox_events where payload like :pattern")
                .param("pattern", "%\"" + requestId + "\"%").query(Integer.class).single();
    }

    /** Waits until the request's usage event is on usage.v1, then checks it is there exactly once. */
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

package dev.chatplatform.chat;

import dev.chatplatform.chat.context.TokenCounter;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
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

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PlatformIntegrationTest
class ConversationsIntegrationTest {

    static final ProviderStub provider = ProviderStub.start();
    static final UsageStub usage = UsageStub.start();
    static final int MAX_CONVERSATIONS = 7;
    static final int MAX_MESSAGES = 6;
    static final int MAX_CHARS = 2000;

    @DynamicPropertySource
    static void config(DynamicPropertyRegistry registry) {
        registry.add("chat.provider.url", provider::url);
        registry.add("chat.budget.usage-url", usage::url);
        registry.add("chat.budget.fail-open-tiers", () -> "*"); // this context serves when usage-service is down
        registry.add("chat.conversations.max-conversations-per-account", () -> MAX_CONVERSATIONS);
        registry.add("chat.conversations.max-messages-per-conversation", () -> MAX_MESSAGES);
        registry.add("chat.conversations.max-message-chars", () -> MAX_CHARS);
        registry.add("chat.conversations.stop-poll-interval", () -> "50ms");
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

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    // --- conversations ---

    @Test
    void aConversationIsCreatedWithDefaultsReadRenamedAndItsModelChanged() throws Exception {
        var created = call("POST", "/api/v1/conversations", "acc-crud", "{}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode c = json.readTree(created.body());
        String id = c.path("id").asString();
        assertThat(id).startsWith("conv_");
        assertThat(c.path("model").asString()).isEqualTo("sim-1");
        assertThat(c.path("title").isNull()).isTrue();

        var patched = call("PATCH", "/api/v1/conversations/" + id, "acc-crud",
                "{\"title\":\"Tides\",\"model\":\"sim-1-mini\",\"systemPrompt\":\"Be brief.\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(json.readTree(patched.body()).path("title").asString()).isEqualTo("Tides");

        JsonNode read = json.readTree(call("GET", "/api/v1/conversations/" + id, "acc-crud", null).body());
        assertThat(read.path("id").asString()).isEqualTo(id);
        assertThat(read.path("title").asString()).isEqualTo("Tides");
        assertThat(read.path("model").asString()).isEqualTo("sim-1-mini");
        assertThat(read.path("systemPrompt").asString()).isEqualTo("Be brief.");
        assertThat(read.path("messages").path("data").isEmpty()).isTrue();
        assertThat(read.path("messages").path("hasMore").asBoolean()).isFalse();

        var cleared = call("PATCH", "/api/v1/conversations/" + id, "acc-crud", "{\"systemPrompt\":\"\"}");
        assertThat(json.readTree(cleared.body()).path("systemPrompt").isNull()).isTrue();
    }

    @Test
    void conversationsAreListedNewestFirstPageByPageSearchableByTitleAndCappedPerAccount() throws Exception {
        String account = "acc-list-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MAX_CONVERSATIONS; i++) {
            ids.add(createConversation(account, "{\"title\":\"" + (i % 2 == 0 ? "Trip to Rome " : "Recipe 100%_") + i + "\"}"));
        }
        var over = call("POST", "/api/v1/conversations", account, "{}");
        assertThat(over.statusCode()).isEqualTo(409);
        assertThat(errorCode(over)).isEqualTo("conversation_limit_reached");

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json.readTree(call("GET", "/api/v1/conversations?limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), account, null).body());
            page.path("data").forEach(c -> listed.add(c.path("id").asString()));
            cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
            assertThat(page.path("hasMore").asBoolean()).isEqualTo(cursor != null);
            pages++;
        } while (cursor != null);
        List<String> newestFirst = new ArrayList<>(ids);
        Collections.reverse(newestFirst);
        assertThat(listed).isEqualTo(newestFirst);
        assertThat(pages).isEqualTo(3);

        JsonNode rome = json.readTree(call("GET", "/api/v1/conversations?q=" + enc("rome"), account, null).body());
        assertThat(rome.path("data")).hasSize(4);
        JsonNode literal = json.readTree(call("GET", "/api/v1/conversations?q=" + enc("100%_"), account, null).body());
        assertThat(literal.path("data")).as("wildcards are matched literally").hasSize(3);

        var badCursor = call("GET", "/api/v1/conversations?cursor=not-a-cursor", account, null);
        assertThat(badCursor.statusCode()).isEqualTo(400);
        assertThat(errorParam(badCursor)).isEqualTo("cursor");
    }

    @Test
    void deletingAConversationRemovesItAndItsMessagesForReal() throws Exception {
        String id = createConversation("acc-delete", "{}");
        assertThat(send("acc-delete", id, "{\"content\":\"Remember my secret: 1234\"}").statusCode()).isEqualTo(200);

        assertThat(call("DELETE", "/api/v1/conversations/" + id, "acc-delete", null).statusCode()).isEqualTo(204);

        assertThat(call("GET", "/api/v1/conversations/" + id, "acc-delete", null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/conversations/" + id, "acc-delete", null).statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from messages where conversation_id = :id or content like '%1234%'")
                .param("id", id).query(Integer.class).single()).isZero();
    }

    @Test
    void settingsStartAtTheirDefaultsAreReplacedWholeAndBelongToTheirAccount() throws Exception {
        JsonNode fresh = json.readTree(call("GET", "/api/v1/settings", "acc-settings", null).body());
        assertThat(fresh.path("defaultModel").isNull()).isTrue();
        assertThat(fresh.path("defaultSystemPrompt").asString()).isEmpty();
        assertThat(fresh.path("showCost").asBoolean()).isTrue();
        assertThat(fresh.path("theme").asString()).isEqualTo("system");

        var saved = call("PUT", "/api/v1/settings", "acc-settings",
                "{\"defaultModel\":\"sim-1\",\"defaultSystemPrompt\":\"Be brief.\",\"showCost\":false,\"theme\":\"dark\"}");
        assertThat(saved.statusCode()).isEqualTo(200);
        JsonNode read = json.readTree(call("GET", "/api/v1/settings", "acc-settings", null).body());
        assertThat(read.path("defaultModel").asString()).isEqualTo("sim-1");
        assertThat(read.path("defaultSystemPrompt").asString()).isEqualTo("Be brief.");
        assertThat(read.path("showCost").asBoolean()).isFalse();
        assertThat(read.path("theme").asString()).isEqualTo("dark");
        assertThat(json.readTree(call("GET", "/api/v1/settings", "acc-other", null).body()).path("theme").asString())
                .isEqualTo("system");

        call("PUT", "/api/v1/settings", "acc-settings", "{\"theme\":\"light\"}");
        JsonNode replaced = json.readTree(call("GET", "/api/v1/settings", "acc-settings", null).body());
        assertThat(replaced.path("defaultModel").isNull()).isTrue();
        assertThat(replaced.path("showCost").asBoolean()).isTrue();
        assertThat(replaced.path("theme").asString()).isEqualTo("light");

        var badTheme = call("PUT", "/api/v1/settings", "acc-settings", "{\"theme\":\"pink\"}");
        assertThat(badTheme.statusCode()).isEqualTo(400);
        assertThat(errorParam(badTheme)).isEqualTo("theme");
        var unknown = call("PUT", "/api/v1/settings", "acc-settings", "{\"fontSize\":12}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(errorCode(unknown)).isEqualTo("unknown_parameter");
        assertThat(errorParam(call("PUT", "/api/v1/settings", "acc-settings", "{\"showCost\":\"yes\"}")))
                .isEqualTo("showCost");
    }

    @Test
    void anotherAccountsConversationAnswers404AsIfItDidNotExist() throws Exception {
        String id = createConversation("acc-owner", "{\"title\":\"Private\"}");
        assertThat(send("acc-owner", id, "{\"content\":\"hi\"}").statusCode()).isEqualTo(200);

        List<HttpResponse<String>> attempts = List.of(
                call("GET", "/api/v1/conversations/" + id, "acc-intruder", null),
                call("GET", "/api/v1/conversations/" + id + "/messages", "acc-intruder", null),
                call("PATCH", "/api/v1/conversations/" + id, "acc-intruder", "{\"title\":\"Mine\"}"),
                call("POST", "/api/v1/conversations/" + id + "/messages", "acc-intruder", "{\"content\":\"hi\"}"),
                call("POST", "/api/v1/conversations/" + id + "/regenerate", "acc-intruder", "{}"),
                call("POST", "/api/v1/conversations/" + id + "/stop", "acc-intruder", null),
                call("DELETE", "/api/v1/conversations/" + id, "acc-intruder", null));
        var absent = call("GET", "/api/v1/conversations/conv_doesnotexist", "acc-intruder", null);
        for (var attempt : attempts) {
            assertThat(attempt.statusCode()).as(attempt.request().method() + " " + attempt.uri()).isEqualTo(404);
            assertThat(errorCode(attempt)).isEqualTo("conversation_not_found");
            assertThat(json.readTree(attempt.body()).path("error").path("message").asString())
                    .isEqualTo(json.readTree(absent.body()).path("error").path("message").asString()
                            .replace("conv_doesnotexist", id));
        }
        JsonNode list = json.readTree(call("GET", "/api/v1/conversations", "acc-intruder", null).body());
        assertThat(list.path("data").findValuesAsString("id")).doesNotContain(id);

        JsonNode still = json.readTree(call("GET", "/api/v1/conversations/" + id, "acc-owner", null).body());
        assertThat(still.path("title").asString()).isEqualTo("Private");
        assertThat(still.path("messages").path("data")).hasSize(2);
    }

    @Test
    void everyFieldIsValidatedAndTheErrorNamesIt() throws Exception {
        String id = createConversation("acc-invalid", "{}");
        record Case(String method, String path, String body, int status, String code, String param) {
        }
        String messages = "/api/v1/conversations/" + id + "/messages";
        List<Case> cases = List.of(
                new Case("POST", "/api/v1/conversations", "{\"title\":7}", 400, "invalid_type", "title"),
                new Case("POST", "/api/v1/conversations", "{\"title\":\"  \"}", 400, "invalid_value", "title"),
                new Case("POST", "/api/v1/conversations", "{\"title\":\"" + "t".repeat(201) + "\"}", 400, "string_above_max_length", "title"),
                new Case("POST", "/api/v1/conversations", "{\"model\":\"sim 1; drop\"}", 400, "invalid_value", "model"),
                new Case("POST", "/api/v1/conversations", "{\"systemPrompt\":[]}", 400, "invalid_type", "systemPrompt"),
                new Case("POST", "/api/v1/conversations", "{\"colour\":\"red\"}", 400, "unknown_parameter", "colour"),
                new Case("POST", "/api/v1/conversations", "[]", 400, "invalid_type", null),
                new Case("POST", "/api/v1/conversations", "{\"title\":", 400, "invalid_json", null),
                new Case("PATCH", "/api/v1/conversations/" + id, "{}", 400, "missing_required_parameter", null),
                new Case("GET", "/api/v1/conversations?limit=0", null, 400, "invalid_value", "limit"),
                new Case("GET", "/api/v1/conversations?limit=many", null, 400, "invalid_value", "limit"),
                new Case("GET", messages + "?cursor=bTF8eA", null, 400, "invalid_cursor", "cursor"),
                new Case("POST", messages, "{}", 400, "missing_required_parameter", "content"),
                new Case("POST", messages, "{\"content\":\"\"}", 400, "invalid_value", "content"),
                new Case("POST", messages, "{\"content\":\"" + "x".repeat(MAX_CHARS + 1) + "\"}", 400, "string_above_max_length", "content"),
                new Case("POST", messages, "{\"content\":\"hi\",\"stream\":\"yes\"}", 400, "invalid_type", "stream"),
                new Case("POST", messages, "{\"content\":\"hi\",\"maxTokens\":0}", 400, "integer_below_min_value", "maxTokens"),
                new Case("POST", messages, "{\"content\":\"hi\",\"temperature\":3}", 400, "decimal_above_max_value", "temperature"),
                new Case("POST", messages, "{\"content\":\"hi\",\"model\":\"no-such-model\"}", 404, "model_not_found", "model"),
                new Case("POST", messages, "{\"content\":\"hi\",\"model\":\"no-such-model\",\"stream\":true}", 404, "model_not_found", "model"));
        for (Case c : cases) {
            var response = call(c.method(), c.path(), "acc-invalid", c.body());
            String what = c.method() + " " + c.path() + " " + (c.body() == null ? "" : c.body().substring(0, Math.min(80, c.body().length())));
            assertThat(response.statusCode()).as(what).isEqualTo(c.status());
            assertThat(errorCode(response)).as(what).isEqualTo(c.code());
            if (c.param() != null) {
                assertThat(errorParam(response)).as(what).isEqualTo(c.param());
            }
        }
        assertThat(json.readTree(call("GET", "/api/v1/conversations/" + id, "acc-invalid", null).body())
                .path("messages").path("data").isEmpty()).as("a refused turn leaves nothing behind").isTrue();
    }

    // --- messages ---

    @Test
    void aNonStreamTurnStoresBothMessagesMetersItOnceAndTitlesTheConversation() throws Exception {
        String id = createConversation("acc-turn", "{}");
        String requestId = newRequestId();
        var response = send("acc-turn", id, requestId, "{\"content\":\"  How do\\n tides work? \"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode exchange = json.readTree(response.body());
        assertThat(exchange.path("conversationId").asString()).isEqualTo(id);
        assertThat(exchange.path("title").asString()).isEqualTo("How do tides work?");
        assertThat(exchange.path("historyTruncated").asBoolean()).isFalse();
        JsonNode user = exchange.path("userMessage");
        JsonNode answer = exchange.path("assistantMessage");
        assertThat(user.path("role").asString()).isEqualTo("user");
        assertThat(user.path("model").asString()).isEqualTo("sim-1");
        assertThat(user.path("inputTokens").asLong()).isPositive();
        assertThat(answer.path("content").asString()).isEqualTo("Hello from the provider stub.");
        assertThat(answer.path("status").asString()).isEqualTo("completed");
        assertThat(answer.path("inputTokens").asLong()).isEqualTo(12);
        assertThat(answer.path("cachedInputTokens").asLong()).isEqualTo(2);
        assertThat(answer.path("outputTokens").asLong()).isEqualTo(5);
        assertThat(answer.path("costMicroUsd").asLong()).isEqualTo(13);
        assertThat(answer.path("latencyMs").isIntegralNumber()).isTrue();
        assertThat(answer.path("finishReason").asString()).isEqualTo("stop");

        JsonNode stored = json.readTree(call("GET", "/api/v1/conversations/" + id, "acc-turn", null).body());
        assertThat(stored.path("title").asString()).isEqualTo("How do tides work?");
        assertThat(stored.path("messages").path("data").findValuesAsString("id"))
                .containsExactly(user.path("id").asString(), answer.path("id").asString());

        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("accountId").asString()).isEqualTo("acc-turn");
        assertThat(event.path("model").asString()).isEqualTo("sim-1");
        assertThat(event.path("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(event.path("streamed").asBoolean()).isFalse();
        assertThat(event.path("costMicroUsd").asLong()).isEqualTo(13);
    }

    @Test
    void aTurnToModelAutoIsHeldMeteredAndStoredUnderTheChosenModelWithTheReason() throws Exception {
        String id = createConversation("acc-turn-auto", "{\"model\":\"auto\",\"systemPrompt\":\"Be brief.\"}");
        String requestId = newRequestId();

        var response = send("acc-turn-auto", id, requestId, "{\"content\":\"How do tides work?\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(provider.autoChoices).contains(requestId);
        JsonNode answer = json.readTree(response.body()).path("assistantMessage");
        assertThat(answer.path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(answer.path("autoModel").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(answer.path("autoReason").asString()).isEqualTo(ProviderStub.AUTO_REASON);
        assertThat(usage.holds.get(requestId).body().path("model").asString())
                .as("the tier's limits are checked for the chosen model").isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(provider.received.get(requestId).body().path("model").asString()).isEqualTo(ProviderStub.AUTO_CHOICE);
        assertThat(json.readTree(onlyUsageEvent(requestId).value()).path("model").asString())
                .isEqualTo(ProviderStub.AUTO_CHOICE);
    }

    @Test
    void aTurnHoldsItsContextPlusMaxTokensAndSendsOnlyTheGrantUpstream() throws Exception {
        usage.caps.put("acc-conv-hold", 2L);
        String id = createConversation("acc-conv-hold", "{}");
        String requestId = newRequestId();
        var response = send("acc-conv-hold", id, requestId, "{\"content\":\"Why is the sea salty?\",\"maxTokens\":10}");
        assertThat(response.statusCode()).isEqualTo(200);

        JsonNode hold = usage.holds.get(requestId).body();
        TokenCounter counter = new TokenCounter();
        assertThat(hold.path("promptTokens").asLong()).isEqualTo(3 + 3 + counter.count("user") + counter.count("Why is the sea salty?"));
        assertThat(hold.path("maxTokens").asLong()).isEqualTo(10);
        assertThat(hold.path("model").asString()).isEqualTo("sim-1");
        assertThat(provider.received.get(requestId).body().path("max_tokens").asLong()).isEqualTo(2);
        assertThat(onlyUsageEvent(requestId)).isNotNull();
        assertThat(usage.released).doesNotContain(UsageStub.holdIdOf(requestId));
    }

    @Test
    void aTurnRefusedByTheBudgetIs429AndLeavesNothingStoredSentOrBilled() throws Exception {
        String id = createConversation("acc-over-conv", "{}");
        for (String body : List.of("{\"content\":\"hi\"}", "{\"content\":\"hi\",\"stream\":true}")) {
            String requestId = newRequestId();
            var response = send("acc-over-conv", id, requestId, body);
            assertThat(response.statusCode()).as(body).isEqualTo(429);
            assertThat(errorCode(response)).isEqualTo("monthly_budget_exceeded");
            assertThat(provider.received).doesNotContainKey(requestId);
        }
        JsonNode messages = json.readTree(call("GET", "/api/v1/conversations/" + id + "/messages", "acc-over-conv", null).body());
        assertThat(messages.path("data").isEmpty()).as("the turn is removed again").isTrue();
    }

    @Test
    void withFailOpenConfiguredATurnIsServedWhenUsageServiceIsDown() throws Exception {
        String id = createConversation("acc-usage-down-conv", "{}");
        String requestId = newRequestId();
        var response = send("acc-usage-down-conv", id, requestId, "{\"content\":\"hi\",\"maxTokens\":8}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(usage.holds).as("the hold was asked for").containsKey(requestId);
        assertThat(provider.received.get(requestId).body().path("max_tokens").asLong()).as("the caller's own limit").isEqualTo(8);
        assertThat(json.readTree(onlyUsageEvent(requestId).value()).path("outputTokens").asLong()).isEqualTo(5);
    }

    @Test
    void aTurnWhoseAnswerAndUsageCannotBeStoredKeepsItsHoldForUsageServiceToBill() throws Exception {
        UnwritableOutbox.install(jdbc); // the turn's usage event (and with it the stored answer) is refused
        String id = createConversation("acc-conv-unwritable", "{}");
        String plain = UnwritableOutbox.PREFIX + UUID.randomUUID();
        assertThat(send("acc-conv-unwritable", id, plain, "{\"content\":\"hi\"}").statusCode()).isEqualTo(500);

        String streamed = UnwritableOutbox.PREFIX + UUID.randomUUID();
        // another conversation: the unstored answer above is still "generating" there (409 until generation-timeout)
        var response = send("acc-conv-unwritable", createConversation("acc-conv-unwritable", "{}"), streamed, "{\"content\":\"hi\",\"stream\":true}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("The answer could not be stored.").endsWith("data: [DONE]\n\n");

        for (String requestId : List.of(plain, streamed)) {
            assertThat(provider.received).as("the provider answered").containsKey(requestId);
            assertThat(usage.released).as("released, the usage would be lost: the hold expires and usage-service "
                    + "bills it from provider-service's record of the call").doesNotContain(UsageStub.holdIdOf(requestId));
        }
    }

    @Test
    void aTurnThatFailsBeforeAnyTokenReleasesItsHold() throws Exception {
        String id = createConversation("acc-conv-release", "{\"model\":\"sim-broken\"}");
        String requestId = newRequestId();
        assertThat(send("acc-conv-release", id, requestId, "{\"content\":\"hi\"}").statusCode()).isEqualTo(502);
        assertThat(usage.released).contains(UsageStub.holdIdOf(requestId));
    }

    @Test
    void aStreamedTurnRefusedBeforeAnyOutputIsA429WithRetryAfterThatLeavesNoTurnAndReleasesItsHold() throws Exception {
        String id = createConversation("acc-conv-busy", "{\"model\":\"sim-busy\"}");
        String requestId = newRequestId();

        var response = send("acc-conv-busy", id, requestId, "{\"content\":\"hi\",\"stream\":true}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(json.readTree(response.body()).path("error").path("code").asString()).isEqualTo("concurrency_limited");
        assertThat(usage.released).contains(UsageStub.holdIdOf(requestId));
        JsonNode conversation = json.readTree(call("GET", "/api/v1/conversations/" + id, "acc-conv-busy", null).body());
        assertThat(conversation.path("messages").path("data")).as("the refused turn is removed").isEmpty();
    }

    @Test
    void aStreamedTurnArrivesChunkByChunkAndEndsWithUsageCarryingTheStoredIdsThenDone() throws Exception {
        String id = createConversation("acc-sse", "{\"model\":\"sim-1-mini\",\"systemPrompt\":\"Be brief.\"}");
        String requestId = newRequestId();
        var response = http.send(request("POST", "/api/v1/conversations/" + id + "/messages", "acc-sse", requestId,
                "{\"content\":\"Say hello\",\"stream\":true,\"model\":\"sim-1\"}"), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("X-History-Truncated")).contains("false");
        List<String> events;
        try (var lines = response.body()) {
            events = lines.filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        }

        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events).noneMatch(e -> e.contains("x_platform"));
        assertThat(contentOf(events)).isEqualTo("Hello from the provider stub.");
        JsonNode last = json.readTree(events.get(events.size() - 2));
        assertThat(last.path("choices").isEmpty()).isTrue();
        assertThat(last.path("usage").path("completion_tokens").asLong()).isEqualTo(5);
        JsonNode x = last.path("x_conversation");
        assertThat(x.path("conversationId").asString()).isEqualTo(id);
        assertThat(x.path("status").asString()).isEqualTo("completed");
        assertThat(x.path("assistantMessageId").asString()).isEqualTo(response.headers().firstValue("X-Assistant-Message-Id").orElseThrow());
        assertThat(x.path("title").asString()).isEqualTo("Say hello");

        JsonNode upstream = provider.received.get(requestId).body();
        assertThat(upstream.path("model").asString()).as("the message's model overrides the conversation's").isEqualTo("sim-1");
        assertThat(upstream.path("messages").findValuesAsString("role")).containsExactly("system", "user");

        JsonNode messages = json.readTree(call("GET", "/api/v1/conversations/" + id + "/messages", "acc-sse", null).body());
        JsonNode answer = messages.path("data").path(1);
        assertThat(answer.path("id").asString()).isEqualTo(x.path("assistantMessageId").asString());
        assertThat(answer.path("content").asString()).isEqualTo("Hello from the provider stub.");
        assertThat(answer.path("model").asString()).isEqualTo("sim-1");
        assertThat(answer.path("timeToFirstTokenMs").isIntegralNumber()).isTrue();
        assertThat(answer.path("outputTokens").asLong()).isEqualTo(5);
        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("streamed").asBoolean()).isTrue();
        assertThat(event.path("outcome").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void historyGoesWithEachTurnAndIsCutToTheModelsWindowSayingSo() throws Exception {
        String id = createConversation("acc-history", "{\"model\":\"sim-small\",\"systemPrompt\":\"You are terse.\"}");
        String question = "Tell me something about the weather on the coast of Portugal in late autumn please";
        String first = newRequestId();
        assertThat(send("acc-history", id, first, "{\"content\":\"" + question + " (1)\"}").statusCode()).isEqualTo(200);
        String second = newRequestId();
        JsonNode two = json.readTree(send("acc-history", id, second, "{\"content\":\"" + question + " (2)\"}").body());
        assertThat(provider.received.get(second).body().path("messages").findValuesAsString("role"))
                .as("the first turn goes with the second").containsExactly("system", "user", "assistant", "user");
        assertThat(two.path("historyTruncated").asBoolean()).isFalse();

        String third = newRequestId();
        var response = send("acc-history", id, third, "{\"content\":\"" + question + " (3)\"}");
        JsonNode three = json.readTree(response.body());
        List<String> sent = provider.received.get(third).body().path("messages").findValuesAsString("content");
        assertThat(three.path("historyTruncated").asBoolean()).as("a %d-token window cannot hold three turns",
                ProviderStub.SMALL_WINDOW).isTrue();
        assertThat(response.headers().firstValue("X-History-Truncated")).contains("true");
        assertThat(three.path("droppedMessages").asInt()).isEqualTo(2);
        assertThat(sent).containsExactly("You are terse.", question + " (2)", "Hello from the provider stub.", question + " (3)");
        assertThat(three.path("assistantMessage").path("historyTruncated").asBoolean()).isTrue();

        String other = createConversation("acc-history", "{\"model\":\"sim-small\"}");
        var tooLong = send("acc-history", other, "{\"content\":\"" + "word ".repeat(200) + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(errorCode(tooLong)).isEqualTo("context_length_exceeded");
        assertThat(errorParam(tooLong)).isEqualTo("content");
    }

    @Test
    void messagesPerConversationAreCapped() throws Exception {
        String id = createConversation("acc-full", "{}");
        for (int i = 0; i < MAX_MESSAGES / 2; i++) {
            assertThat(send("acc-full", id, "{\"content\":\"turn " + i + "\"}").statusCode()).isEqualTo(200);
        }
        var full = send("acc-full", id, "{\"content\":\"one more\"}");
        assertThat(full.statusCode()).isEqualTo(409);
        assertThat(errorCode(full)).isEqualTo("message_limit_reached");

        JsonNode page = json.readTree(call("GET", "/api/v1/conversations/" + id + "?limit=4", "acc-full", null).body());
        assertThat(page.path("messages").path("data")).hasSize(4);
        String cursor = page.path("messages").path("nextCursor").asString();
        JsonNode rest = json.readTree(call("GET", "/api/v1/conversations/" + id + "/messages?cursor=" + cursor, "acc-full", null).body());
        assertThat(rest.path("data")).hasSize(2);
        assertThat(rest.path("data").path(1).path("role").asString()).isEqualTo("assistant");
        assertThat(rest.path("hasMore").asBoolean()).isFalse();
    }

    @Test
    void regeneratingReplacesTheLastAnswerFromTheSameHistory() throws Exception {
        String id = createConversation("acc-regen", "{}");
        JsonNode first = json.readTree(send("acc-regen", id, "{\"content\":\"first\"}").body());
        JsonNode second = json.readTree(send("acc-regen", id, "{\"content\":\"second\"}").body());
        String oldAnswer = second.path("assistantMessage").path("id").asString();

        String requestId = newRequestId();
        var response = call("POST", "/api/v1/conversations/" + id + "/regenerate", "acc-regen", requestId,
                "{\"model\":\"sim-1-mini\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode regenerated = json.readTree(response.body());
        assertThat(regenerated.path("userMessage").path("id").asString()).isEqualTo(second.path("userMessage").path("id").asString());
        String newAnswer = regenerated.path("assistantMessage").path("id").asString();
        assertThat(newAnswer).isNotEqualTo(oldAnswer);
        assertThat(regenerated.path("assistantMessage").path("model").asString()).isEqualTo("sim-1-mini");

        assertThat(provider.received.get(requestId).body().path("messages").findValuesAsString("content"))
                .containsExactly("first", "Hello from the provider stub.", "second");
        JsonNode messages = json.readTree(call("GET", "/api/v1/conversations/" + id + "/messages", "acc-regen", null).body());
        assertThat(messages.path("data").findValuesAsString("id")).containsExactly(
                first.path("userMessage").path("id").asString(), first.path("assistantMessage").path("id").asString(),
                second.path("userMessage").path("id").asString(), newAnswer);
        assertThat(onlyUsageEvent(requestId).key()).isEqualTo("acc-regen");

        String empty = createConversation("acc-regen", "{}");
        var nothing = call("POST", "/api/v1/conversations/" + empty + "/regenerate", "acc-regen", "{}");
        assertThat(nothing.statusCode()).isEqualTo(409);
        assertThat(errorCode(nothing)).isEqualTo("nothing_to_regenerate");
    }

    @Test
    void aStopRequestEndsTheStreamStoresThePartialAnswerAsStoppedAndBillsWhatWasProduced() throws Exception {
        String id = createConversation("acc-stop", "{\"model\":\"sim-slow\"}");
        String requestId = newRequestId();
        var response = http.send(request("POST", "/api/v1/conversations/" + id + "/messages", "acc-stop", requestId,
                "{\"content\":\"Count for me\",\"stream\":true}"), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        try (var lines = response.body()) {
            var it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data: ")) {
                    continue;
                }
                events.add(line.substring(6));
                if (events.size() == 4) {
                    var busy = send("acc-stop", id, "{\"content\":\"meanwhile\"}");
                    assertThat(busy.statusCode()).isEqualTo(409);
                    assertThat(errorCode(busy)).isEqualTo("generation_in_progress");
                    var stop = call("POST", "/api/v1/conversations/" + id + "/stop", "acc-stop", null);
                    assertThat(stop.statusCode()).isEqualTo(202);
                    assertThat(json.readTree(stop.body()).path("messageId").asString())
                            .isEqualTo(response.headers().firstValue("X-Assistant-Message-Id").orElseThrow());
                }
            }
        }
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events.size()).as("the stream ended long before its 200 tokens").isLessThan(60);
        JsonNode last = json.readTree(events.get(events.size() - 2));
        assertThat(last.path("x_conversation").path("status").asString()).isEqualTo("stopped");
        long produced = last.path("usage").path("completion_tokens").asLong();
        assertThat(produced).isBetween(3L, 60L);
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.abandoned.contains(requestId));

        JsonNode answer = json.readTree(call("GET", "/api/v1/conversations/" + id + "/messages", "acc-stop", null).body())
                .path("data").path(1);
        assertThat(answer.path("status").asString()).isEqualTo("stopped");
        assertThat(answer.path("content").asString()).isEqualTo(contentOf(events)).startsWith(" t0 t1 t2");
        assertThat(answer.path("outputTokens").asLong()).isEqualTo(produced);
        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("outcome").asString()).isEqualTo("CLIENT_DISCONNECTED");
        assertThat(event.path("outputTokens").asLong()).isEqualTo(produced);
        assertThat(event.path("costMicroUsd").asLong()).isEqualTo(ProviderStub.cost(12, 2, produced));

        var idle = call("POST", "/api/v1/conversations/" + id + "/stop", "acc-stop", null);
        assertThat(idle.statusCode()).isEqualTo(409);
        assertThat(errorCode(idle)).isEqualTo("no_active_generation");
    }

    @Test
    void aClientLeavingMidStreamLeavesThePartialAnswerStoredAsStoppedAndBilled() throws Exception {
        String id = createConversation("acc-leaver", "{\"model\":\"sim-slow\"}");
        String requestId = newRequestId();
        byte[] body = "{\"content\":\"Count for me\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/conversations/" + id + "/messages HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nX-Platform-Identity: " + TestIdentities.token("acc-leaver", "chat")
                    + "\r\nX-Request-Id: " + requestId + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
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
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.abandoned.contains(requestId));
        JsonNode event = json.readTree(onlyUsageEvent(requestId).value());
        assertThat(event.path("outcome").asString()).isEqualTo("CLIENT_DISCONNECTED");
        long produced = event.path("outputTokens").asLong();
        assertThat(produced).isBetween(3L, 100L);

        JsonNode answer = json.readTree(call("GET", "/api/v1/conversations/" + id + "/messages", "acc-leaver", null).body())
                .path("data").path(1);
        assertThat(answer.path("status").asString()).isEqualTo("stopped");
        assertThat(answer.path("outputTokens").asLong()).isEqualTo(produced);
        assertThat(answer.path("content").asString()).startsWith(" t0 t1");
        assertThat(answer.path("costMicroUsd").asLong()).isEqualTo(event.path("costMicroUsd").asLong());
    }

    @Test
    void aProviderFailingMidStreamEndsWithAnErrorEventAndKeepsTheFailedPartialAnswer() throws Exception {
        String id = createConversation("acc-cut", "{\"model\":\"sim-cut\"}");
        String requestId = newRequestId();
        var response = http.send(request("POST", "/api/v1/conversations/" + id + "/messages", "acc-cut", requestId,
                "{\"content\":\"hi\",\"stream\":true}"), HttpResponse.BodyHandlers.ofLines());
        List<String> events;
        try (var lines = response.body()) {
            events = lines.filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        }
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode error = json.readTree(events.get(events.size() - 2));
        assertThat(error.path("error").path("code").asString()).isEqualTo("upstream_unavailable");
        assertThat(error.path("x_conversation").path("status").asString()).isEqualTo("failed");
        JsonNode answer = json.readTree(call("GET", "/api/v1/conversations/" + id + "/messages", "acc-cut", null).body())
                .path("data").path(1);
        assertThat(answer.path("status").asString()).isEqualTo("failed");
        assertThat(answer.path("content").asString()).isEqualTo("Hello from the");
        assertThat(json.readTree(onlyUsageEvent(requestId).value()).path("outcome").asString()).isEqualTo("UPSTREAM_ERROR");
    }

    @Test
    void aStreamRunsConcurrentlyForTwoAccountsWithoutMixingTheirConversations() throws Exception {
        String a = createConversation("acc-par-a", "{}");
        String b = createConversation("acc-par-b", "{}");
        var ra = CompletableFuture.supplyAsync(() -> send("acc-par-a", a, "{\"content\":\"from a\"}"));
        var rb = CompletableFuture.supplyAsync(() -> send("acc-par-b", b, "{\"content\":\"from b\"}"));
        assertThat(ra.get().statusCode()).isEqualTo(200);
        assertThat(rb.get().statusCode()).isEqualTo(200);
        JsonNode listA = json.readTree(call("GET", "/api/v1/conversations", "acc-par-a", null).body());
        assertThat(listA.path("data").findValuesAsString("title")).containsExactly("from a");
    }

    // --- conversations.v1 ---

    @Test
    void everyStoredChangeIsPublishedOnConversationsV1WithIdsModelsAndTokensButNeverTitlesOrContent() throws Exception {
        String account = "acc-events-" + UUID.randomUUID();
        String id = createConversation(account, "{\"title\":\"Secret plan\",\"systemPrompt\":\"classified orders\"}");
        assertThat(call("PATCH", "/api/v1/conversations/" + id, account, "{\"title\":\"Secret plan\"}").statusCode())
                .as("a change that changes nothing").isEqualTo(200);
        assertThat(call("PATCH", "/api/v1/conversations/" + id, account, "{\"title\":\"Plan B\",\"model\":\"sim-1-mini\"}")
                .statusCode()).isEqualTo(200);
        String requestId = newRequestId();
        JsonNode turn = json.readTree(send(account, id, requestId, "{\"content\":\"my pin is 1234\"}").body());
        assertThat(send(account, id, "{\"content\":\"refused\",\"model\":\"sim-broken\"}").statusCode())
                .as("a turn the provider refused").isEqualTo(502);
        var regenerated = call("POST", "/api/v1/conversations/" + id + "/regenerate", account, "{}");
        assertThat(regenerated.statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/api/v1/conversations/" + id, account, null).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/api/v1/conversations/" + id, account, null).statusCode()).isEqualTo(404);

        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            records.clear();
            records.addAll(KafkaProbe.readAll(dev.chatplatform.contracts.chat.Topics.CONVERSATIONS,
                    r -> account.equals(r.key()), Duration.ofMillis(700)));
            return records.size() >= 6;
        });
        assertThat(records).as("created, updated, user message, answer, regenerated answer, deleted").hasSize(6);
        records.forEach(r -> assertThat(r.value()).as("no title, system prompt or content on the topic")
                .doesNotContain("Secret", "Plan B", "classified", "1234", "Hello from the provider stub", "refused"));
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, CloudEventHeaders.SOURCE)).isEqualTo("chat-service");
            assertThat(header(r, CloudEventHeaders.SUBJECT)).isEqualTo(account);
        });

        ConversationChanged created = json.readValue(records.get(0).value(), ConversationChanged.class);
        assertThat(header(records.get(0), CloudEventHeaders.TYPE)).isEqualTo(ConversationChanged.TYPE.name());
        assertThat(header(records.get(0), CloudEventHeaders.ID)).isEqualTo(EventIds.of(ConversationChanged.TYPE, id + ":created"));
        assertThat(created.action()).isEqualTo(ConversationChanged.Action.CREATED);
        assertThat(created.conversationId()).isEqualTo(id);
        assertThat(created.model()).isEqualTo("sim-1");

        ConversationChanged updated = json.readValue(records.get(1).value(), ConversationChanged.class);
        assertThat(updated.action()).isEqualTo(ConversationChanged.Action.UPDATED);
        assertThat(updated.changedFields()).containsExactly("title", "model");
        assertThat(updated.model()).isEqualTo("sim-1-mini");

        MessageRecorded user = json.readValue(records.get(2).value(), MessageRecorded.class);
        assertThat(header(records.get(2), CloudEventHeaders.TYPE)).isEqualTo(MessageRecorded.TYPE.name());
        assertThat(user.messageId()).isEqualTo(turn.path("userMessage").path("id").asString());
        assertThat(user.role()).isEqualTo("user");
        assertThat(user.status()).isEqualTo("completed");
        assertThat(user.model()).isEqualTo("sim-1-mini");
        assertThat(user.inputTokens()).isEqualTo(new TokenCounter().count("my pin is 1234"));
        assertThat(user.outputTokens()).isZero();

        MessageRecorded answer = json.readValue(records.get(3).value(), MessageRecorded.class);
        String answerId = turn.path("assistantMessage").path("id").asString();
        assertThat(header(records.get(3), CloudEventHeaders.ID)).isEqualTo(EventIds.of(MessageRecorded.TYPE, answerId));
        assertThat(answer.messageId()).isEqualTo(answerId);
        assertThat(answer.role()).isEqualTo("assistant");
        assertThat(answer.status()).isEqualTo("completed");
        assertThat(answer.requestId()).isEqualTo(requestId);
        assertThat(List.of(answer.inputTokens(), answer.cachedInputTokens(), answer.outputTokens())).containsExactly(12L, 2L, 5L);
        assertThat(answer.replacesMessageId()).isNull();

        MessageRecorded again = json.readValue(records.get(4).value(), MessageRecorded.class);
        assertThat(again.role()).isEqualTo("assistant");
        assertThat(again.messageId()).isEqualTo(json.readTree(regenerated.body()).path("assistantMessage").path("id").asString());
        assertThat(again.replacesMessageId()).isEqualTo(answerId);

        ConversationChanged deleted = json.readValue(records.get(5).value(), ConversationChanged.class);
        assertThat(deleted.action()).isEqualTo(ConversationChanged.Action.DELETED);
        assertThat(deleted.model()).isEqualTo("sim-1-mini");
        assertThat(deleted.changedFields()).isEmpty();
    }

    // --- helpers ---

    private static String newRequestId() {
        return "req-" + UUID.randomUUID();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String createConversation(String account, String body) throws Exception {
        var response = call("POST", "/api/v1/conversations", account, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).path("id").asString();
    }

    private HttpResponse<String> send(String account, String conversationId, String body) {
        return send(account, conversationId, newRequestId(), body);
    }

    private HttpResponse<String> send(String account, String conversationId, String requestId, String body) {
        try {
            return call("POST", "/api/v1/conversations/" + conversationId + "/messages", account, requestId, body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpRequest request(String method, String path, String account, String requestId, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .header("X-Platform-Identity", TestIdentities.token(account, "chat"))
                .header("X-Request-Id", requestId)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<String> call(String method, String path, String account, String body) throws Exception {
        return call(method, path, account, newRequestId(), body);
    }

    private HttpResponse<String> call(String method, String path, String account, String requestId, String body)
            throws Exception {
        return http.send(request(method, path, account, requestId, body), HttpResponse.BodyHandlers.ofString());
    }

    private String errorCode(HttpResponse<String> response) {
        return json.readTree(response.body()).path("error").path("code").asString();
    }

    private String errorParam(HttpResponse<String> response) {
        return json.readTree(response.body()).path("error").path("param").asString();
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

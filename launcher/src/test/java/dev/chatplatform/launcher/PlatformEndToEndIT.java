package dev.chatplatform.launcher;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.chatplatform.client.ApiClient;
import dev.chatplatform.client.ApiException;
import dev.chatplatform.client.api.ChatCompletionApi;
import dev.chatplatform.client.api.ModelsApi;
import dev.chatplatform.client.model.ApiError;
import dev.chatplatform.client.model.ChatCompletionRequest;
import dev.chatplatform.client.model.ChatMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The README's promise, end to end on the real thing: the launcher starts Kafka, PostgreSQL and all seven
 * service jars; the demo key chats through the gateway (stream and non-stream); the usage travels over
 * Kafka to usage-service and is counted exactly once; an account suspended through billing-service's admin API
 * loses access at the gateway; the official OpenAI Java SDK chats, streams, calls tools, embeds and gets its own
 * exception types for the platform's errors, and its embeddings are counted once by usage, billing and analytics;
 * a restart on the same data keeps key and usage. OpenAI itself is stood in by {@link OpenAiUpstreamStub} (the
 * simulated model never calls tools), reached by provider-service as {@code OPENAI_BASE_URL}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformEndToEndIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static OtlpSpanCollector spans;
    private static OpenAiUpstreamStub openAi;
    private static Path data;
    private static LauncherConfig config;
    private static LocalPlatform platform;
    private static long expectedInputTokens;
    private static long expectedOutputTokens;

    @BeforeAll
    static void startPlatform() throws Exception {
        data = Files.createTempDirectory("platform-e2e");
        spans = new OtlpSpanCollector();
        openAi = OpenAiUpstreamStub.start();
        config = new LauncherConfig(Path.of("..").toAbsolutePath().normalize(), data,
                Integer.parseInt(System.getProperty("e2e.basePort", "18080")),
                LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                // 50 tokens/s: streams last long enough for a client to leave half way; spans exported to the test
                Map.of("SIMULATED_FIRST_TOKEN_DELAY", "0ms", "SIMULATED_TOKENS_PER_SECOND", "50",
                        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", spans.endpoint(),
                        "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms",
                        "OPENAI_API_KEY", "sk-stub", "OPENAI_BASE_URL", openAi.baseUrl()),
                Duration.ofMinutes(Long.getLong("e2e.startupMinutes", 5))); // more on a machine under load
        platform = LocalPlatform.start(config);
        // the demo account is on the free tier (10 requests a minute); this test polls more often than that
        platform.liftFreeTierLimits();
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (spans != null) {
            spans.close();
        }
        if (openAi != null) {
            openAi.close();
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void theDemoKeyListsTheModels() throws Exception {
        assertThat(platform.demoApiKey()).startsWith("sk-cp-");
        HttpResponse<String> models = get("/v1/models", platform.demoApiKey());
        assertThat(models.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(models.body());
        assertThat(body.get("object").asString()).isEqualTo("list");
        assertThat(body.get("data").findValuesAsString("id")).contains("sim-1");
    }

    @Test
    @Order(2)
    void aNonStreamedChatAnswersInOpenAiFormat() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", platform.demoApiKey(), """
                {"model":"sim-1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there!"}]}""");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.at("/choices/0/message/role").asString()).isEqualTo("assistant");
        assertThat(body.at("/choices/0/message/content").asString()).isNotBlank();
        assertThat(body.has("x_platform")).isFalse();
        expectedInputTokens += body.at("/usage/prompt_tokens").asLong();
        expectedOutputTokens += body.at("/usage/completion_tokens").asLong();
        assertThat(body.at("/usage/completion_tokens").asLong()).isPositive();
    }

    @Test
    @Order(3)
    void aStreamedChatArrivesChunkByChunkEndingWithUsageThenDone() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + platform.demoApiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model":"sim-1","stream":true,"stream_options":{"include_usage":true},
                         "messages":[{"role":"user","content":"Tell me about streams."}]}"""))
                .build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> data = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    data.add(line.substring(5).trim());
                }
            }
        }
        assertThat(data.getLast()).isEqualTo("[DONE]");
        JsonNode usageChunk = JSON.readTree(data.get(data.size() - 2));
        assertThat(usageChunk.get("choices").isEmpty()).isTrue();
        assertThat(usageChunk.at("/usage/completion_tokens").asLong()).isPositive();
        StringBuilder text = new StringBuilder();
        for (String chunk : data.subList(0, data.size() - 2)) {
            JsonNode node = JSON.readTree(chunk);
            assertThat(node.get("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(node.has("x_platform")).isFalse();
            text.append(node.at("/choices/0/delta/content").asString(""));
        }
        assertThat(data.size()).as("one chunk per token, not one buffered blob").isGreaterThan(5);
        assertThat(text.toString()).isNotBlank();
        expectedInputTokens += usageChunk.at("/usage/prompt_tokens").asLong();
        expectedOutputTokens += usageChunk.at("/usage/completion_tokens").asLong();
    }

    @Test
    @Order(4)
    void badInputGetsAnOpenAiShapedClientError() throws Exception {
        assertError(post("/v1/chat/completions", null, "{}"), 401, "missing_api_key");
        assertError(post("/v1/chat/completions", "sk-cp-not-a-real-key", "{}"), 401, "invalid_api_key");
        assertError(post("/v1/chat/completions", platform.demoApiKey(), "{\"model\":"), 400, null);
        assertError(post("/v1/chat/completions", platform.demoApiKey(), "{\"model\":\"sim-1\"}"), 400, null);
        assertError(post("/v1/chat/completions", platform.demoApiKey(),
                "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404, "model_not_found");
    }

    /**
     * Issue 15: a Java client generated at build time from the platform's OpenAPI document (openapi-generator,
     * launcher's pom) chats, lists models and reads an error as the document's {@code ApiError}; the document the
     * gateway serves without a key is the one the client was generated from.
     */
    @Test
    @Order(4)
    void aClientGeneratedFromTheOpenApiDocumentChatsListsModelsAndReadsErrors() throws Exception {
        HttpResponse<String> document = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl()
                + "/v1/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(document.body())).isEqualTo(JSON.readTree(
                Files.readString(Path.of("../gateway/src/main/resources/openapi/openapi.json"))));

        ApiClient client = new ApiClient();
        client.updateBaseUri(platform.gatewayUrl());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + platform.demoApiKey()));

        dev.chatplatform.client.model.ChatCompletion answer = new ChatCompletionApi(client).chatCompletionComplete(new ChatCompletionRequest()
                .model("sim-1").addMessagesItem(new ChatMessage().role(ChatMessage.RoleEnum.USER).content("Hello there!")));
        assertThat(answer.getObject()).isEqualTo("chat.completion");
        assertThat(answer.getChoices().getFirst().getMessage().getRole()).isEqualTo(ChatMessage.RoleEnum.ASSISTANT);
        assertThat(String.valueOf(answer.getChoices().getFirst().getMessage().getContent())).isNotBlank();
        assertThat(answer.getUsage().getCompletionTokens()).isPositive();
        expectedInputTokens += answer.getUsage().getPromptTokens();
        expectedOutputTokens += answer.getUsage().getCompletionTokens();

        assertThat(new ModelsApi(client).modelsList().getData()).extracting(m -> m.getId()).contains("sim-1");

        ApiException refused = catchThrowableOfType(ApiException.class, () -> new ChatCompletionApi(client)
                .chatCompletionComplete(new ChatCompletionRequest().model("no-such-model")
                        .addMessagesItem(new ChatMessage().role(ChatMessage.RoleEnum.USER).content("Hi"))));
        assertThat(refused.getCode()).isEqualTo(404);
        ApiError error = client.getObjectMapper().readValue(refused.getResponseBody(), ApiError.class);
        assertThat(error.getError().getCode()).isEqualTo("model_not_found");
        assertThat(error.getError().getMessage()).contains("no-such-model");
    }

    @Test
    @Order(5)
    void usageArrivesOverKafkaExactlyOnce() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(usage().get("requests").asLong()).isEqualTo(3)); // the stream, the chat, the generated client's
        Thread.sleep(2000);
        JsonNode usage = usage();
        assertThat(usage.get("requests").asLong()).as("no double counting after settling").isEqualTo(3);
        assertThat(usage.get("inputTokens").asLong()).isEqualTo(expectedInputTokens);
        assertThat(usage.get("outputTokens").asLong()).isEqualTo(expectedOutputTokens);
        assertThat(usage.get("costMicroUsd").asLong()).isPositive();
    }

    @Test
    @Order(6)
    void aConversationStreamLeftHalfWayIsStoredAsStoppedAndItsPartialUsageBilled() throws Exception {
        HttpResponse<String> created = post("/api/v1/conversations", platform.demoApiKey(), "{\"model\":\"sim-1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String conversation = JSON.readTree(created.body()).get("id").asString();

        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/api/v1/conversations/" + conversation + "/messages"))
                .header("Authorization", "Bearer " + platform.demoApiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Tell me everything about tides.\",\"stream\":true}"))
                .build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        int contentChunks = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (contentChunks < 3 && (line = reader.readLine()) != null) {
                if (line.startsWith("data:") && line.contains("\"content\"")) {
                    contentChunks++;
                }
            }
        }
        assertThat(contentChunks).isEqualTo(3);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode answer = lastMessage(conversation);
            assertThat(answer.get("role").asString()).isEqualTo("assistant");
            assertThat(answer.get("status").asString()).isEqualTo("stopped");
        });
        JsonNode answer = lastMessage(conversation);
        assertThat(answer.get("content").asString()).isNotBlank();
        assertThat(answer.get("outputTokens").asLong()).isPositive();
        expectedInputTokens += answer.get("inputTokens").asLong();
        expectedOutputTokens += answer.get("outputTokens").asLong();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(usage().get("requests").asLong()).isEqualTo(4));
        JsonNode usage = usage();
        assertThat(usage.get("inputTokens").asLong()).isEqualTo(expectedInputTokens);
        assertThat(usage.get("outputTokens").asLong()).as("the partial answer is billed, not the whole one")
                .isEqualTo(expectedOutputTokens);
    }

    @Test
    @Order(7)
    void oneTraceFollowsAChatRequestThroughTheServicesAndOverKafkaToUsageService() throws Exception {
        String traceId = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + platform.demoApiKey())
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\",\"content\":\"Trace me.\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        expectedInputTokens += JSON.readTree(response.body()).at("/usage/prompt_tokens").asLong();
        expectedOutputTokens += JSON.readTree(response.body()).at("/usage/completion_tokens").asLong();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(spans.spansOf(traceId)).extracting(OtlpSpanCollector.ReceivedSpan::service)
                        .contains("gateway", "chat-service", "provider-service", "usage-service"));
    }

    @Test
    @Order(8)
    void usageServiceKilledInTheMiddleOfAStreamOfUsageEventsCountsEveryEventOnceAfterItsRestart() throws Exception {
        String account = "e2e-crash-" + java.util.UUID.randomUUID();
        int events = 3_000;
        long inputTokens = 0;
        long outputTokens = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 0; i < events; i++) {
                inputTokens += 10 + i % 7;
                outputTokens += 20 + i % 11;
            }
            for (int i = 0; i < events / 2; i++) {
                producer.send(usageEvent(account, i));
            }
            producer.flush();
            // SIGKILL as soon as metering is under way: whatever it was doing is neither committed nor drained
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> accountUsage(account).path("requests").asLong() > 0);
            platform.restart(Service.USAGE, true);
            for (int i = events / 2; i < events; i++) {
                producer.send(usageEvent(account, i));
            }
            for (int i = 0; i < 200; i++) {
                producer.send(usageEvent(account, i)); // redelivered copies of events metered before the crash
            }
            producer.flush();
        }
        long expectedInput = inputTokens;
        long expectedOutput = outputTokens;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode usage = accountUsage(account);
            assertThat(usage.get("requests").asLong()).isEqualTo(events);
            assertThat(usage.get("inputTokens").asLong()).isEqualTo(expectedInput);
            assertThat(usage.get("outputTokens").asLong()).isEqualTo(expectedOutput);
            assertThat(usage.get("costMicroUsd").asLong()).isEqualTo(3L * events);
        });
        Thread.sleep(2000); // nothing more arrives: no event was counted twice
        JsonNode usage = accountUsage(account);
        assertThat(usage.get("requests").asLong()).isEqualTo(events);
        JsonNode tokens = java.util.stream.StreamSupport.stream(usage.at("/quota/limits").spliterator(), false)
                .filter(l -> l.get("name").asString().equals("tokens_per_month")).findFirst().orElseThrow();
        assertThat(tokens.get("used").asLong()).as("the quota ledger agrees with the metered usage")
                .isEqualTo(expectedInput + expectedOutput);
        assertThat(tokens.get("held").asLong()).isZero();
    }

    @Test
    @Order(9)
    void anAccountSuspendedThroughTheAdminApiLosesAccessAtTheGatewayWithinASecondUntilReactivated() throws Exception {
        String admin = platform.adminApiKey();
        HttpResponse<String> created = post("/api/v1/admin/accounts", admin,
                "{\"email\":\"suspend-e2e@example.com\",\"name\":\"Suspended later\"}");
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        String accountId = JSON.readTree(created.body()).get("id").asString();
        HttpResponse<String> issued = post("/api/v1/admin/accounts/" + accountId + "/api-keys", admin,
                "{\"name\":\"e2e\",\"scopes\":[\"chat\"]}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String key = JSON.readTree(issued.body()).get("key").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/models", key).statusCode() == 200);

        assertThat(patch("/api/v1/admin/accounts/" + accountId, admin, "{\"status\":\"suspended\"}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", key).statusCode() == 403);
        assertError(get("/v1/models", key), 403, "account_suspended");

        assertThat(patch("/api/v1/admin/accounts/" + accountId, admin, "{\"status\":\"active\"}").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", key).statusCode() == 200);

        // deletion revokes the keys too: whichever of accounts.v1 and api-keys.v1 the gateway reads first refuses it
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/api/v1/admin/accounts/" + accountId))
                .header("Authorization", "Bearer " + admin).DELETE().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", key).statusCode() != 200);
        assertThat(get("/v1/models", key).statusCode()).isIn(401, 403);
    }

    @Test
    @Order(20)
    void theOfficialOpenAiJavaSdkChatsAndStreams() throws Exception {
        OpenAIClient client = sdk(sdkAccount().key());
        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sim-1").addSystemMessage("Be brief.").addUserMessage("Hello from the Java SDK!").build());
        assertThat(answer.choices().getFirst().message().content()).hasValueSatisfying(c -> assertThat(c).isNotBlank());
        assertThat(answer.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());

        StringBuilder text = new StringBuilder();
        List<CompletionUsage> usages = new ArrayList<>();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("sim-1").addUserMessage("Stream to the Java SDK.")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(usages::add);
            }
        }
        assertThat(chunks).as("one chunk per token").isGreaterThan(5);
        assertThat(text.toString()).isNotBlank();
        assertThat(usages).singleElement().satisfies(u -> assertThat(u.completionTokens()).isPositive());
    }

    @Test
    @Order(21)
    void theOfficialOpenAiJavaSdkCallsToolsAndSendsTheirResultsBack() throws Exception {
        OpenAIClient client = sdk(sdkAccount().key());
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").description("Current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
                .addUserMessage("What is the weather in Paris?").addTool(weather).build();

        ChatCompletionMessage call = client.chat().completions().create(ask).choices().getFirst().message();
        assertThat(call.toolCalls()).hasValueSatisfying(calls -> assertThat(calls).singleElement().satisfies(t -> {
            assertThat(t.asFunction().function().name()).isEqualTo("get_weather");
            assertThat(JSON.readTree(t.asFunction().function().arguments()).path("city").asString()).isEqualTo("Paris");
        }));

        StringBuilder streamedArguments = new StringBuilder();
        List<String> streamedNames = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.choices().forEach(c -> c.delta().toolCalls().ifPresent(calls -> calls.forEach(t -> t.function()
                        .ifPresent(f -> {
                            f.name().ifPresent(streamedNames::add);
                            f.arguments().ifPresent(streamedArguments::append);
                        }))));
            }
        }
        assertThat(streamedNames).containsExactly("get_weather");
        assertThat(JSON.readTree(streamedArguments.toString()).path("city").asString()).isEqualTo("Paris");

        ChatCompletion answer = client.chat().completions().create(ask.toBuilder()
                .addMessage(call)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.toolCalls().orElseThrow()
                        .getFirst().asFunction().id()).content("{\"sky\":\"sunny\"}").build())
                .build());
        assertThat(answer.choices().getFirst().message().content()).contains(OpenAiUpstreamStub.ANSWER);
    }

    @Test
    @Order(22)
    void theOfficialOpenAiJavaSdkEmbedsAndEachRequestIsCountedOnceByUsageBillingAndAnalytics() throws Exception {
        SdkAccount account = sdkAccount();
        OpenAIClient client = sdk(account.key());
        CreateEmbeddingResponse single = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("sim-embed-1").input("The platform embeds text.").build());
        List<Float> vector = single.data().getFirst().embedding();
        assertThat(vector).hasSize(1536);
        assertThat(Math.sqrt(vector.stream().mapToDouble(v -> v * v).sum())).isCloseTo(1.0, within(1e-3));
        assertThat(single.usage().promptTokens()).isPositive();

        CreateEmbeddingResponse two = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("sim-embed-1").inputOfArrayOfStrings(List.of("The platform embeds text.", "Another text"))
                .dimensions(64).encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(two.data()).hasSize(2);
        assertThat(two.data().get(0).embedding()).hasSize(64);
        assertThat(two.data().get(1).index()).isEqualTo(1);

        CreateEmbeddingResponse openAiModel = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("Through provider-service to OpenAI's wire format.").build());
        assertThat(openAiModel.data().getFirst().embedding()).containsExactly(0.5f, 0.5f, 0.5f, 0.5f);
        assertThat(openAiModel.usage().promptTokens()).isEqualTo(OpenAiUpstreamStub.EMBEDDING_TOKENS);

        long tokens = single.usage().promptTokens() + two.usage().promptTokens() + openAiModel.usage().promptTokens();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode embeddings = kindLine(accountUsage(account.id()).path("byKind"), "embeddings");
            assertThat(embeddings.path("requests").asLong()).isEqualTo(3);
            assertThat(embeddings.path("inputTokens").asLong()).isEqualTo(tokens);
            assertThat(embeddings.path("outputTokens").asLong()).isZero();
        });
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode billing = null;
            for (JsonNode line : JSON.readTree(get("/api/v1/admin/billing/reconciliation", platform.adminApiKey())
                    .body()).path("accounts")) {
                billing = line.path("accountId").asString().equals(account.id()) ? line : billing;
            }
            assertThat(billing).isNotNull();
            assertThat(billing.path("embeddingEvents").asLong()).isEqualTo(3);
            assertThat(billing.path("embeddingTokens").asLong()).isEqualTo(tokens);
            JsonNode analytics = JSON.readTree(get("/api/v1/analytics/usage?granularity=range&groupBy=kind&from=" + today
                    + "&to=" + today + "&accountId=" + account.id(), platform.adminApiKey()).body());
            JsonNode row = kindLine(analytics.path("rows"), "embeddings");
            assertThat(row.path("requests").asLong()).isEqualTo(3);
            assertThat(row.path("inputTokens").asLong()).isEqualTo(tokens);
        });
        Thread.sleep(2000); // nothing more arrives: no request was counted twice
        assertThat(kindLine(accountUsage(account.id()).path("byKind"), "embeddings").path("requests").asLong())
                .isEqualTo(3);
    }

    @Test
    @Order(23)
    void theOfficialOpenAiJavaSdkRaisesItsOwnExceptionTypesForThePlatformsErrors() throws Exception {
        assertThatThrownBy(() -> sdk("sk-cp-not-a-real-key").chat().completions().create(ChatCompletionCreateParams
                .builder().model("sim-1").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.statusCode()).isEqualTo(401));

        OpenAIClient client = sdk(sdkAccount().key());
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sim-embed-1").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).hasValue("model_not_chat"));
        assertThatThrownBy(() -> client.embeddings().create(EmbeddingCreateParams.builder().model("sim-1").input("hi")
                .build()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.code()).hasValue("model_not_embedding"));

        // a tier allowing one request a minute: the second request within the minute is refused by the gateway
        HttpResponse<String> tier = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl()
                        + "/api/v1/usage/admin/tiers/basic"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + platform.adminApiKey())
                .PUT(HttpRequest.BodyPublishers.ofString("""
                        {"messagesPerDay":1000000,"tokensPerMonth":1000000000,"costMicroUsdPerMonth":1000000000,
                         "requestsPerMinute":1,"tokensPerMinute":1000000,"allowedModels":["*"]}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tier.statusCode()).as(tier.body()).isEqualTo(200);
        OpenAIClient limited = sdk(newAccount("basic", 1).key());
        RateLimitException[] refused = new RateLimitException[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            try {
                limited.embeddings().create(EmbeddingCreateParams.builder().model("sim-embed-1").input("hi").build());
                return false;
            } catch (RateLimitException e) {
                refused[0] = e;
                return true;
            }
        });
        assertThat(refused[0].statusCode()).isEqualTo(429);
        assertThat(refused[0].headers().values("Retry-After")).isNotEmpty();
    }

    @Test
    @Order(30)
    void aRestartOnTheSameDataKeepsTheKeyAndTheUsage() throws Exception {
        String key = platform.demoApiKey();
        platform.close();
        platform = LocalPlatform.start(config);
        assertThat(platform.demoApiKey()).isEqualTo(key);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode usage = usage();
            assertThat(usage.get("requests").asLong()).isEqualTo(5);
            assertThat(usage.get("outputTokens").asLong()).isEqualTo(expectedOutputTokens);
        });
    }

    private record SdkAccount(String id, String key) {
    }

    private static SdkAccount sdkAccount;

    /** An account of its own for the SDK scenarios (free tier, limits lifted), so the demo account's counts stay. */
    private static SdkAccount sdkAccount() throws Exception {
        if (sdkAccount == null) {
            sdkAccount = newAccount("free", 1_000_000L);
        }
        return sdkAccount;
    }

    /** A new account of {@code tier} with a chat key, once usage-service and the gateway apply the tier's limits. */
    private static SdkAccount newAccount(String tier, long requestsPerMinute) throws Exception {
        HttpResponse<String> created = post("/api/v1/admin/accounts", platform.adminApiKey(),
                "{\"email\":\"sdk-" + java.util.UUID.randomUUID() + "@example.com\",\"name\":\"SDK\",\"tier\":\"" + tier + "\"}");
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        String id = JSON.readTree(created.body()).get("id").asString();
        HttpResponse<String> issued = post("/api/v1/admin/accounts/" + id + "/api-keys", platform.adminApiKey(),
                "{\"name\":\"sdk\",\"scopes\":[\"chat\"]}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String key = JSON.readTree(issued.body()).get("key").asString();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> me = get("/api/v1/usage/me", key);
            return me.statusCode() == 200 && JSON.readTree(me.body()).at("/quota/requestsPerMinute").asLong()
                    == requestsPerMinute;
        });
        Thread.sleep(1000); // the gateway's view of quota.v1 follows the same event
        return new SdkAccount(id, key);
    }

    /** The official OpenAI Java SDK pointed at the platform, without its own retries (each call is one request). */
    private static OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(platform.gatewayUrl() + "/v1").apiKey(key).maxRetries(0).build();
    }

    private static JsonNode kindLine(JsonNode lines, String kind) {
        for (JsonNode line : lines) {
            if (line.path("kind").asString().equals(kind)) {
                return line;
            }
        }
        return tools.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode lastMessage(String conversation) throws Exception {
        HttpResponse<String> read = get("/api/v1/conversations/" + conversation + "/messages?limit=100", platform.demoApiKey());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode messages = JSON.readTree(read.body()).get("data");
        return messages.get(messages.size() - 1);
    }

    /** One usage.recorded.v1 of {@code account}, with the CloudEvents headers chat-service's outbox writes. */
    private static ProducerRecord<String, String> usageEvent(String account, int i) {
        String requestId = account + "-req-" + i;
        String occurredAt = java.time.Instant.now().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>("usage.v1", account, """
                {"requestId":"%s","accountId":"%s","apiKeyId":"e2e","model":"sim-1","provider":"simulated",\
                "inputTokens":%d,"cachedInputTokens":0,"outputTokens":%d,"costMicroUsd":3,"estimated":false,\
                "outcome":"COMPLETED","streamed":false,"latencyMs":5,"timeToFirstTokenMs":null,"occurredAt":"%s"}"""
                .formatted(requestId, account, 10 + i % 7, 20 + i % 11, occurredAt));
        Map.of("ce_specversion", "1.0", "ce_id", java.util.UUID.nameUUIDFromBytes(
                                ("usage.recorded.v1|" + requestId).getBytes(StandardCharsets.UTF_8)).toString(),
                        "ce_type", "usage.recorded.v1", "ce_source", "chat-service", "ce_time", occurredAt,
                        "content-type", "application/json", "ce_subject", account)
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** Any account's usage this month, read by an admin through the gateway. */
    private static JsonNode accountUsage(String account) throws Exception {
        HttpResponse<String> response = get("/api/v1/usage/accounts/" + account, platform.adminApiKey());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode usage() throws Exception {
        HttpResponse<String> response = get("/api/v1/usage/me", platform.demoApiKey());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error).as(response.body()).isNotNull();
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.get("type").asString()).isNotBlank();
        if (code != null) {
            assertThat(error.get("code").asString()).isEqualTo(code);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(String path, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

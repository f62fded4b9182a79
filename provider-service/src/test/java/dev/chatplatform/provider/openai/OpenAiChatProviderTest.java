package dev.chatplatform.provider.openai;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.kit.openai.ContentPart;
import dev.chatplatform.kit.openai.ResponseFormat;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.Recording;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.ToolCall;
import dev.chatplatform.provider.upstream.ToolCallDelta;
import dev.chatplatform.provider.upstream.UpstreamException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI's Chat Completions wire format, served by a local stub (also what Groq and OpenAI-compatible servers speak). */
class OpenAiChatProviderTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private OpenAiChatProvider provider;

    @BeforeEach
    void setUp() {
        var properties = Recording.properties(stub.baseUrl() + "/v1");
        provider = new OpenAiChatProvider("openai", OpenAiConfig.client(properties.openai(), null, properties.timeouts()),
                new Tokenizer());
    }

    @Test
    void translatesTheRequestAndReadsANonStreamAnswerWithProviderUsage() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id":"chatcmpl-abc","object":"chat.completion","created":1735689600,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Sunny, 21°C.","refusal":null,"annotations":[]},
                             "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":60,"completion_tokens":6,"total_tokens":66,
                          "prompt_tokens_details":{"cached_tokens":32,"audio_tokens":0},
                          "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},
                 "service_tier":"default","system_fingerprint":"fp_1"}""")));

        Generation g = provider.generate(Recording.request("gpt-4o-mini"), GenerationObserver.IGNORE);

        assertThat(g.content()).isEqualTo("Sunny, 21°C.");
        assertThat(g.finishReason()).isEqualTo("stop");
        assertThat(g.usage().promptTokens()).isEqualTo(60);
        assertThat(g.usage().cachedTokens()).isEqualTo(32);
        assertThat(g.usage().completionTokens()).isEqualTo(6);
        assertThat(g.usage().estimated()).isFalse();
        stub.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer test-key"))
                .withRequestBody(equalToJson("""
                        {"model":"gpt-4o-mini","max_completion_tokens":256,"temperature":0.4,"top_p":0.9,"stop":["END"],
                         "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello"},
                                     {"role":"assistant","content":"Hi! How can I help?"},
                                     {"role":"user","content":"Weather in Paris?"}],
                         "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
                                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                         "tool_choice":"auto"}""", true, false)));
    }

    @Test
    void streamsPiecesAndTakesTheUsageTheStreamReports() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"Hello\"}", null),
                chunk("{\"content\":\" world\"}", null),
                chunk("{}", "\"stop\""),
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
                "[DONE]")));
        Recording seen = new Recording();

        Generation g = provider.generate(Recording.request("gpt-4o-mini"), seen);

        assertThat(seen.started).isEqualTo(1);
        assertThat(seen.pieces).containsExactly("Hello", " world");
        assertThat(seen.usages.get(1).estimated()).as("counted locally until the provider reports").isTrue();
        assertThat(g.content()).isEqualTo("Hello world");
        assertThat(g.usage().promptTokens()).isEqualTo(12);
        assertThat(g.usage().completionTokens()).isEqualTo(2);
        assertThat(g.usage().estimated()).isFalse();
        stub.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson(
                "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}", true, true)));
    }

    @Test
    void aStreamWithoutUsageIsCountedWithTheTokenizerAndMarkedEstimated() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(
                chunk("{\"content\":\"Hello world\"}", null), chunk("{}", "\"length\""), "[DONE]")));

        Generation g = provider.generate(Recording.request("llama3"), new Recording());

        assertThat(g.usage().estimated()).isTrue();
        assertThat(g.usage().completionTokens()).isEqualTo(new Tokenizer().count("Hello world"));
        assertThat(g.finishReason()).isEqualTo("length");
    }

    @Test
    void assemblesStreamedToolCalls() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(
                chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null),
                chunk("{}", "\"tool_calls\""), "[DONE]")));

        Recording recording = new Recording();
        Generation g = provider.generate(Recording.request("gpt-4o-mini"), recording);

        assertThat(g.finishReason()).isEqualTo("tool_calls");
        assertThat(g.toolCalls()).containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(recording.toolCallPieces).as("passed on piece by piece, as they arrived").containsExactly(
                new ToolCallDelta(0, "call_1", "get_weather", ""),
                ToolCallDelta.arguments(0, "{\"city\":"),
                ToolCallDelta.arguments(0, "\"Paris\"}"));
    }

    @Test
    void passesDeveloperMessagesResponseFormatSeedParallelToolCallsAndImagePartsOnTheWire() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
                 "message":{"role":"assistant","content":"{\\"city\\":\\"Paris\\"}"},"finish_reason":"stop"}]}""")));
        JsonNode schema = JsonMapper.builder().build().readTree("""
                {"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""");
        var request = new ProviderRequest("gpt-4o-mini", List.of(ProviderMessage.of("developer", "Answer in JSON."),
                new ProviderMessage("user", "Which city is this? ", null, null, List.of(), List.of(
                        ContentPart.text("Which city is this? "),
                        new ContentPart(ContentPart.Kind.IMAGE, null, "https://example.com/paris.png", "low", null),
                        new ContentPart(ContentPart.Kind.FILE, null, "data:application/pdf;base64,JVBERi0=", null, "guide.pdf")))),
                100, List.of(), null, null, List.of(), null,
                new ProviderRequest.Options(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "place", schema, true),
                        42L, false));

        Generation g = provider.generate(request, GenerationObserver.IGNORE);

        assertThat(g.content()).isEqualTo("{\"city\":\"Paris\"}");
        stub.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"messages":[{"role":"developer","content":"Answer in JSON."},
                  {"role":"user","content":[{"type":"text","text":"Which city is this? "},
                    {"type":"image_url","image_url":{"url":"https://example.com/paris.png","detail":"low"}},
                    {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"guide.pdf"}}]}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"place","strict":true,
                    "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}},
                 "seed":42,"parallel_tool_calls":false}""", true, true)));
    }

    @Test
    void passesJsonObjectModeOnTheWire() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
                 "message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}]}""")));
        var request = new ProviderRequest("gpt-4o-mini", List.of(ProviderMessage.of("user", "JSON please")), 100,
                List.of(), null, null, List.of(), null,
                new ProviderRequest.Options(new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false), null, null));

        provider.generate(request, GenerationObserver.IGNORE);

        stub.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(equalToJson("{\"response_format\":{\"type\":\"json_object\"}}", true, true)));
    }

    @Test
    void sendsToolResultsBackInOpenAisShape() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
                 "message":{"role":"assistant","content":"It is sunny."},"finish_reason":"stop"}]}""")));
        var request = new ProviderRequest("gpt-4o-mini", List.of(ProviderMessage.of("user", "Weather?"),
                new ProviderMessage("assistant", null, null, null, List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                new ProviderMessage("tool", "sunny", null, "call_1")), 100, List.of(), null, null);

        Generation g = provider.generate(request, GenerationObserver.IGNORE);

        assertThat(g.usage().estimated()).as("no usage in the answer").isTrue();
        stub.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":"Weather?"},
                  {"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}""", true, true)));
    }

    @Test
    void aRateLimitIsRetryableAndCarriesRetryAfter() {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "7").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));

        assertThatThrownBy(() -> provider.generate(Recording.request("gpt-4o-mini"), new Recording()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(e.errorClass()).isEqualTo("rate_limited");
                });
        assertThat(stub.getAllServeEvents()).as("the SDK's own retries are off").hasSize(1);
    }

    @Test
    void aServerErrorIsRetryableAndABadRequestIsNot() {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"boom\"}}")));
        assertThatThrownBy(() -> provider.generate(Recording.request("m"), GenerationObserver.IGNORE))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.retryable()).isTrue());

        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"bad\"}}")));
        assertThatThrownBy(() -> provider.generate(Recording.request("m"), GenerationObserver.IGNORE))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.errorClass()).isEqualTo("bad_request");
                });
    }

    @Test
    void aMalformedChunkFailsTheCall() {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(
                chunk("{\"content\":\"Hel\"}", null), "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo", "[DONE]")));

        assertThatThrownBy(() -> provider.generate(Recording.request("m"), new Recording()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.errorClass()).isEqualTo("malformed_response"));
    }

    @Test
    void aStreamCutInTheMiddleFailsAfterTheDeliveredPieces() {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody("data: " + chunk("{\"content\":\"Hello\"}", null) + "\n\n")));
        Recording seen = new Recording();

        assertThatThrownBy(() -> provider.generate(Recording.request("m"), seen))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("stream_cut");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(seen.pieces).containsExactly("Hello");
    }

    @Test
    void aConnectionDroppedByTheServerIsARetryableConnectionFailure() {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> provider.generate(Recording.request("m"), new Recording()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void aSlowFirstTokenTimesOut() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(chunk("{\"content\":\"warm\"}", "\"stop\""), "[DONE]")));
        provider.generate(Recording.request("m"), new Recording()); // the first call in a JVM pays for class loading
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(chunk("{\"content\":\"late\"}", "\"stop\""), "[DONE]")
                .withFixedDelay(6_000)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> provider.generate(Recording.request("m"), new Recording()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.errorClass()).isEqualTo("timeout"));
        assertThat((System.nanoTime() - start) / 1_000_000).as("the 2 s first-token timeout applies").isLessThan(4_500);
    }

    static String chunk(String delta, String finishReason) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}],\"usage\":null}";
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sse(String... events) {
        StringBuilder body = new StringBuilder();
        for (String e : events) {
            body.append("data: ").append(e).append("\n\n");
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
    }
}

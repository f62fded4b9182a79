package dev.chatplatform.provider.anthropic;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.kit.openai.ContentPart;
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

/** Anthropic's Messages API wire format, served by a local stub. */
class AnthropicChatProviderTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private AnthropicChatProvider provider;

    @BeforeEach
    void setUp() {
        provider = new AnthropicConfig().anthropicProvider(Recording.properties(stub.baseUrl()), new Tokenizer());
    }

    @Test
    void translatesSystemTemperatureStopAndToolsAndReadsANonStreamAnswer() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/messages")).willReturn(okJson("""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5",
                 "content":[{"type":"text","text":"Sunny."}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":40,"cache_read_input_tokens":20,"cache_creation_input_tokens":0,"output_tokens":3}}""")));

        Generation g = provider.generate(Recording.request("claude-haiku-4-5"), GenerationObserver.IGNORE);

        assertThat(g.content()).isEqualTo("Sunny.");
        assertThat(g.finishReason()).isEqualTo("stop");
        assertThat(g.usage().promptTokens()).as("input + cache reads").isEqualTo(60);
        assertThat(g.usage().cachedTokens()).isEqualTo(20);
        assertThat(g.usage().completionTokens()).isEqualTo(3);
        assertThat(g.usage().estimated()).isFalse();
        stub.verify(postRequestedFor(urlEqualTo("/v1/messages"))
                .withHeader("x-api-key", equalTo("test-key"))
                .withRequestBody(equalToJson("""
                        {"model":"claude-haiku-4-5","max_tokens":256,"system":"Be brief.","temperature":0.2,"top_p":0.9,
                         "stop_sequences":["END"],
                         "messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]},
                                     {"role":"assistant","content":[{"type":"text","text":"Hi! How can I help?"}]},
                                     {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]}],
                         "tools":[{"name":"get_weather","description":"Current weather",
                                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                         "tool_choice":{"type":"auto"}}""", true, true)));
    }

    @Test
    void streamsTextWithUsageFromMessageStartAndMessageDelta() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/messages")).willReturn(sse(
                "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[],\"model\":\"claude-haiku-4-5\",\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":25,\"cache_read_input_tokens\":5,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}",
                "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "ping", "{\"type\":\"ping\"}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" world\"}}",
                "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}",
                "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},"
                        + "\"usage\":{\"output_tokens\":12}}",
                "message_stop", "{\"type\":\"message_stop\"}")));
        Recording seen = new Recording();

        Generation g = provider.generate(Recording.request("claude-haiku-4-5"), seen);

        assertThat(seen.started).isEqualTo(1);
        assertThat(seen.pieces).containsExactly("Hello", " world");
        assertThat(g.content()).isEqualTo("Hello world");
        assertThat(g.finishReason()).isEqualTo("length");
        assertThat(g.usage().promptTokens()).isEqualTo(30);
        assertThat(g.usage().cachedTokens()).isEqualTo(5);
        assertThat(g.usage().completionTokens()).isEqualTo(12);
        assertThat(g.usage().estimated()).isFalse();
    }

    @Test
    void assemblesAStreamedToolUseAndSendsToolResultsBack() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/messages")).willReturn(sse(
                "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[],\"model\":\"claude-haiku-4-5\",\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}",
                "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                        + "\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
                "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}",
                "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":20}}",
                "message_stop", "{\"type\":\"message_stop\"}")));
        var request = new ProviderRequest("claude-haiku-4-5", List.of(ProviderMessage.of("user", "Weather?"),
                new ProviderMessage("assistant", null, null, null, List.of(new ToolCall("toolu_0", "get_weather", "{\"city\":\"Rome\"}"))),
                new ProviderMessage("tool", "rainy", null, "toolu_0"), ProviderMessage.of("user", "And Paris?")),
                100, List.of(), null, null);

        Recording recording = new Recording();
        Generation g = provider.generate(request, recording);

        assertThat(g.finishReason()).isEqualTo("tool_calls");
        assertThat(g.toolCalls()).containsExactly(new ToolCall("toolu_1", "get_weather", "{\"city\": \"Paris\"}"));
        assertThat(recording.toolCallPieces).as("OpenAI's streamed tool call pieces, as Anthropic sent them").containsExactly(
                ToolCallDelta.start(0, "toolu_1", "get_weather"),
                ToolCallDelta.arguments(0, "{\"city\": "),
                ToolCallDelta.arguments(0, "\"Paris\"}"));
        stub.verify(postRequestedFor(urlEqualTo("/v1/messages")).withRequestBody(equalToJson("""
                {"messages":[{"role":"user","content":[{"type":"text","text":"Weather?"}]},
                  {"role":"assistant","content":[{"type":"tool_use","id":"toolu_0","name":"get_weather","input":{"city":"Rome"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_0","content":"rainy"},
                                            {"type":"text","text":"And Paris?"}]}]}""", true, true)));
    }

    @Test
    void takesDeveloperMessagesAsTheSystemPromptSendsImagesAndMapsParallelToolCalls() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/messages")).willReturn(okJson("""
                {"id":"msg_3","type":"message","role":"assistant","model":"claude-haiku-4-5",
                 "content":[{"type":"text","text":"Paris."}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":900,"output_tokens":3}}""")));
        var request = new ProviderRequest("claude-haiku-4-5", List.of(ProviderMessage.of("developer", "Be brief."),
                new ProviderMessage("user", "Where is this?", null, null, List.of(), List.of(
                        ContentPart.text("Where is this?"),
                        new ContentPart(ContentPart.Kind.IMAGE, null, "data:image/png;base64,iVBORw0KGgo=", "auto", null),
                        new ContentPart(ContentPart.Kind.IMAGE, null, "https://example.com/b.jpg", "auto", null)))),
                100, List.of(), null, null, Recording.request("x").tools(), null,
                new ProviderRequest.Options(null, null, false));

        Generation g = provider.generate(request, GenerationObserver.IGNORE);

        assertThat(g.content()).isEqualTo("Paris.");
        assertThat(g.usage().promptTokens()).as("image tokens as the provider counts them").isEqualTo(900);
        stub.verify(postRequestedFor(urlEqualTo("/v1/messages")).withRequestBody(equalToJson("""
                {"system":"Be brief.",
                 "messages":[{"role":"user","content":[{"type":"text","text":"Where is this?"},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                    {"type":"image","source":{"type":"url","url":"https://example.com/b.jpg"}}]}],
                 "tool_choice":{"type":"auto","disable_parallel_tool_use":true}}""", true, true)));
    }

    @Test
    void rateLimitsAndOverloadAreRetryable() {
        stub.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(429).withHeader("retry-after", "3")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")));
        assertThatThrownBy(() -> provider.generate(Recording.request("m"), new Recording()))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
                });

        stub.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(529)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        assertThatThrownBy(() -> provider.generate(Recording.request("m"), GenerationObserver.IGNORE))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.errorClass()).isEqualTo("overloaded");
                });
    }

    @Test
    void aStreamCutBeforeMessageStopFails() {
        stub.stubFor(post(urlEqualTo("/v1/messages")).willReturn(sse(
                "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"content\":[],\"model\":\"x\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}")));
        Recording seen = new Recording();

        assertThatThrownBy(() -> provider.generate(Recording.request("m"), seen))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.errorClass()).isEqualTo("stream_cut"));
        assertThat(seen.pieces).containsExactly("Hel");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sse(String... eventsAndData) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < eventsAndData.length; i += 2) {
            body.append("event: ").append(eventsAndData[i]).append('\n').append("data: ").append(eventsAndData[i + 1]).append("\n\n");
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
    }
}

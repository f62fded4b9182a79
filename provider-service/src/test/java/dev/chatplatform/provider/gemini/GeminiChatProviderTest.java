package dev.chatplatform.provider.gemini;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.kit.openai.ContentPart;
import dev.chatplatform.kit.openai.ResponseFormat;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.Recording;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.UpstreamException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gemini's generateContent wire format, served by a local stub. */
class GeminiChatProviderTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent";
    private static final String STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent";

    private GeminiChatProvider provider;

    @BeforeEach
    void setUp() {
        provider = new GeminiConfig().geminiProvider(Recording.properties(stub.baseUrl()), new Tokenizer());
    }

    @Test
    void translatesTheRequestAndReadsANonStreamAnswer() throws Exception {
        stub.stubFor(post(urlPathEqualTo(GENERATE)).willReturn(okJson("""
                {"candidates":[{"content":{"parts":[{"text":"Sunny."}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":3,"cachedContentTokenCount":10,"totalTokenCount":33},
                 "modelVersion":"gemini-2.5-flash","responseId":"r1"}""")));

        Generation g = provider.generate(Recording.request("gemini-2.5-flash"), GenerationObserver.IGNORE);

        assertThat(g.content()).isEqualTo("Sunny.");
        assertThat(g.finishReason()).isEqualTo("stop");
        assertThat(g.usage().promptTokens()).isEqualTo(30);
        assertThat(g.usage().cachedTokens()).isEqualTo(10);
        assertThat(g.usage().completionTokens()).isEqualTo(3);
        assertThat(g.usage().estimated()).isFalse();
        stub.verify(postRequestedFor(urlPathEqualTo(GENERATE))
                .withHeader("x-goog-api-key", equalTo("test-key"))
                .withRequestBody(equalToJson("""
                        {"contents":[{"role":"user","parts":[{"text":"Hello"}]},
                                     {"role":"model","parts":[{"text":"Hi! How can I help?"}]},
                                     {"role":"user","parts":[{"text":"Weather in Paris?"}]}],
                         "systemInstruction":{"parts":[{"text":"Be brief."}]},
                         "generationConfig":{"maxOutputTokens":256,"temperature":0.4,"topP":0.9,"stopSequences":["END"],"candidateCount":1},
                         "tools":[{"functionDeclarations":[{"name":"get_weather","description":"Current weather"}]}],
                         "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}}}""", true, true)));
    }

    @Test
    void streamsWithCumulativeUsage() throws Exception {
        stub.stubFor(post(urlPathEqualTo(STREAM)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody("""
                        data: {"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash"}

                        data: {"candidates":[{"content":{"parts":[{"text":" world"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":2,"totalTokenCount":11},"modelVersion":"gemini-2.5-flash"}

                        """)));
        Recording seen = new Recording();

        Generation g = provider.generate(Recording.request("gemini-2.5-flash"), seen);

        assertThat(seen.pieces).containsExactly("Hello", " world");
        assertThat(g.content()).isEqualTo("Hello world");
        assertThat(g.usage().promptTokens()).isEqualTo(9);
        assertThat(g.usage().completionTokens()).isEqualTo(2);
        assertThat(g.usage().estimated()).isFalse();
    }

    @Test
    void functionCallsComeBackAsToolCalls() throws Exception {
        stub.stubFor(post(urlPathEqualTo(GENERATE)).willReturn(okJson("""
                {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}],"role":"model"},
                 "finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":5,"totalTokenCount":35}}""")));

        Generation g = provider.generate(Recording.request("gemini-2.5-flash"), GenerationObserver.IGNORE);

        assertThat(g.finishReason()).isEqualTo("tool_calls");
        assertThat(g.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        });
    }

    @Test
    void aStreamedFunctionCallGoesOnAsOnePieceWhenItArrives() throws Exception {
        stub.stubFor(post(urlPathEqualTo(STREAM)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody("""
                        data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":5,"totalTokenCount":14}}

                        """)));
        Recording seen = new Recording();

        Generation g = provider.generate(Recording.request("gemini-2.5-flash"), seen);

        assertThat(seen.toolCallPieces).singleElement().satisfies(d -> {
            assertThat(d.index()).isZero();
            assertThat(d.id()).isEqualTo(g.toolCalls().getFirst().id());
            assertThat(d.name()).isEqualTo("get_weather");
            assertThat(d.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        });
    }

    @Test
    void mapsDeveloperMessagesResponseFormatSeedAndImages() throws Exception {
        stub.stubFor(post(urlPathEqualTo(GENERATE)).willReturn(okJson("""
                {"candidates":[{"content":{"parts":[{"text":"{\\"city\\":\\"Paris\\"}"}],"role":"model"},"finishReason":"STOP","index":0}],
                 "usageMetadata":{"promptTokenCount":300,"candidatesTokenCount":5,"totalTokenCount":305}}""")));
        var schema = tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"type":"object","properties":{"city":{"type":"string"}}}""");
        var request = new ProviderRequest("gemini-2.5-flash", List.of(ProviderMessage.of("developer", "JSON only."),
                new ProviderMessage("user", "Where?", null, null, List.of(), List.of(ContentPart.text("Where?"),
                        new ContentPart(ContentPart.Kind.IMAGE, null, "data:image/png;base64,iVBORw0KGgo=", "auto", null)))),
                100, List.of(), null, null, List.of(), null,
                new ProviderRequest.Options(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "place", schema, false), 7L, null));

        Generation g = provider.generate(request, GenerationObserver.IGNORE);

        assertThat(g.content()).isEqualTo("{\"city\":\"Paris\"}");
        stub.verify(postRequestedFor(urlPathEqualTo(GENERATE)).withRequestBody(equalToJson("""
                {"contents":[{"role":"user","parts":[{"text":"Where?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}],
                 "systemInstruction":{"parts":[{"text":"JSON only."}]},
                 "generationConfig":{"responseMimeType":"application/json","seed":7,
                    "responseJsonSchema":{"type":"object","properties":{"city":{"type":"string"}}}}}""", true, true)));
    }

    @Test
    void aRateLimitIsRetryable() {
        stub.stubFor(post(urlPathEqualTo(GENERATE)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":429,\"message\":\"Resource exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}")));

        assertThatThrownBy(() -> provider.generate(Recording.request("gemini-2.5-flash"), GenerationObserver.IGNORE))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryable()).isTrue();
                });
    }
}

package dev.chatplatform.provider.openai;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.provider.upstream.ChoiceDelta;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.Recording;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.chatplatform.provider.openai.OpenAiChatProviderTest.sse;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code n} and {@code logprobs} against a local stub of OpenAI's Chat Completions wire format. */
class OpenAiChoicesTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpenAiChatProvider provider;

    @BeforeEach
    void setUp() {
        var properties = Recording.properties(stub.baseUrl() + "/v1");
        provider = new OpenAiChatProvider("openai", OpenAiConfig.client(properties.openai(), null, properties.timeouts()),
                new Tokenizer());
    }

    @Test
    void passesNAndLogprobsOnAndReadsEveryChoiceWithItsLogprobs() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id":"chatcmpl-abc","object":"chat.completion","created":1735689600,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[
                   {"index":0,"message":{"role":"assistant","content":"Yes","refusal":null,"annotations":[]},
                    "logprobs":{"content":[{"token":"Yes","logprob":-0.1,"bytes":[89,101,115],
                                            "top_logprobs":[{"token":"Yes","logprob":-0.1,"bytes":[89,101,115]},
                                                            {"token":"No","logprob":-2.4,"bytes":[78,111]}]}],
                                "refusal":null},
                    "finish_reason":"stop"},
                   {"index":1,"message":{"role":"assistant","content":"No","refusal":null,"annotations":[]},
                    "logprobs":{"content":[{"token":"No","logprob":-2.4,"bytes":[78,111],
                                            "top_logprobs":[{"token":"No","logprob":-2.4,"bytes":[78,111]},
                                                            {"token":"Yes","logprob":-0.1,"bytes":[89,101,115]}]}],
                                "refusal":null},
                    "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":20,"completion_tokens":2,"total_tokens":22},
                 "service_tier":"default","system_fingerprint":"fp_1"}""")));

        Generation g = provider.generate(choices(2), GenerationObserver.IGNORE);

        assertThat(g.choices()).extracting(Generation.Choice::index).containsExactly(0, 1);
        assertThat(g.choices()).extracting(Generation.Choice::content).containsExactly("Yes", "No");
        assertThat(g.content()).isEqualTo("Yes");
        assertThat(g.moreChoices().getFirst().finishReason()).isEqualTo("stop");
        assertThat(g.logprobs().path("content").get(0).path("token").asString()).isEqualTo("Yes");
        assertThat(g.logprobs().path("content").get(0).path("top_logprobs").get(1).path("logprob").asDouble())
                .isEqualTo(-2.4);
        assertThat(g.moreChoices().getFirst().logprobs().path("content").get(0).path("bytes").get(0).asInt())
                .isEqualTo(78);
        assertThat(g.usage().completionTokens()).as("the upstream's usage of both choices").isEqualTo(2);
        stub.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson(
                "{\"n\":2,\"logprobs\":true,\"top_logprobs\":2}", true, true)));
    }

    @Test
    void streamsEachChoicesPiecesWithTheirIndexAndLogprobs() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(
                chunk(0, "{\"role\":\"assistant\",\"content\":\"\"}", "null", null),
                chunk(1, "{\"role\":\"assistant\",\"content\":\"\"}", "null", null),
                chunk(0, "{\"content\":\"Yes\"}", logprobs("Yes", -0.1), null),
                chunk(1, "{\"content\":\"No\"}", logprobs("No", -2.4), null),
                chunk(1, "{\"content\":\"pe\"}", logprobs("pe", -0.5), null),
                chunk(0, "{}", "null", "\"stop\""),
                chunk(1, "{}", "null", "\"length\""),
                "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}",
                "[DONE]")));
        List<ChoiceDelta> seen = new ArrayList<>();
        GenerationObserver observer = new GenerationObserver() {
            @Override
            public void started(TokenUsage usage) {
            }

            @Override
            public void delta(String content, TokenUsage usageSoFar) {
                throw new AssertionError("pieces of a request with n or logprobs come as choice deltas");
            }

            @Override
            public void choiceDelta(ChoiceDelta delta, TokenUsage usageSoFar) {
                seen.add(delta);
            }
        };

        Generation g = provider.generate(choices(2), observer);

        assertThat(seen).extracting(ChoiceDelta::choice).containsExactly(0, 1, 1);
        assertThat(seen).extracting(ChoiceDelta::content).containsExactly("Yes", "No", "pe");
        assertThat(seen.get(2).logprobs().path("content").get(0).path("logprob").asDouble()).isEqualTo(-0.5);
        assertThat(g.choices()).extracting(Generation.Choice::content).containsExactly("Yes", "Nope");
        assertThat(g.choices()).extracting(Generation.Choice::finishReason).containsExactly("stop", "length");
        assertThat(g.moreChoices().getFirst().logprobs().path("content")).as("the choice's tokens in order").hasSize(2);
        assertThat(g.usage().completionTokens()).isEqualTo(3);
        assertThat(g.usage().estimated()).isFalse();
        stub.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(equalToJson(
                "{\"stream\":true,\"n\":2,\"logprobs\":true,\"top_logprobs\":2}", true, true)));
    }

    private static ProviderRequest choices(int n) {
        ProviderRequest base = Recording.request("gpt-4o-mini");
        return new ProviderRequest(base.model(), base.messages(), base.maxTokens(), base.stop(), base.temperature(),
                base.topP(), base.tools(), base.toolChoice(), new ProviderRequest.Options(null, null, null, n, true, 2));
    }

    private static String logprobs(String token, double logprob) {
        return "{\"content\":[{\"token\":\"" + token + "\",\"logprob\":" + logprob + ",\"bytes\":null,"
                + "\"top_logprobs\":[{\"token\":\"" + token + "\",\"logprob\":" + logprob + ",\"bytes\":null}]}],"
                + "\"refusal\":null}";
    }

    private static String chunk(int index, String delta, String logprobs, String finishReason) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":" + index + ",\"delta\":" + delta
                + ",\"logprobs\":" + logprobs + ",\"finish_reason\":" + finishReason + "}],\"usage\":null}";
    }
}

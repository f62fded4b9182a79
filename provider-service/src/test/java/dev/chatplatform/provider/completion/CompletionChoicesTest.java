package dev.chatplatform.provider.completion;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.provider.openai.OpenAiStubs;
import dev.chatplatform.provider.routing.CallContext;
import dev.chatplatform.provider.routing.RouteTarget;
import dev.chatplatform.provider.routing.Router;
import dev.chatplatform.provider.routing.TestRouting;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import dev.chatplatform.provider.upstream.ProviderRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.chatplatform.provider.openai.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/** What the client (chat-service) receives for {@code n > 1} and {@code logprobs}: OpenAI's shape, every choice. */
class CompletionChoicesTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RouteTarget GPT = TestRouting.target("gpt-x", "openai", 1_000_000, 2_000_000);
    private static final String LOGPROBS_YES = "{\"content\":[{\"token\":\"Yes\",\"logprob\":-0.1,\"bytes\":[89,101,115],"
            + "\"top_logprobs\":[{\"token\":\"Yes\",\"logprob\":-0.1,\"bytes\":[89,101,115]}]}],\"refusal\":null}";
    private static final String LOGPROBS_NO = "{\"content\":[{\"token\":\"No\",\"logprob\":-2.4,\"bytes\":[78,111],"
            + "\"top_logprobs\":[{\"token\":\"No\",\"logprob\":-2.4,\"bytes\":[78,111]}]}],\"refusal\":null}";

    private final CompletionService service = new CompletionService(null, null,
            new Router(new ProviderRegistry(List.of(OpenAiStubs.provider("openai", stub.baseUrl() + "/v1"))),
                    TestRouting.fast(), List.of()),
            null, JSON, null, new dev.chatplatform.provider.auto.AutoSelections(), null, null);

    private static PreparedCompletion call() {
        var request = new ProviderRequest("gpt-x", List.of(ProviderMessage.of("user", "Yes or no?")), 5, List.of(),
                null, null, List.of(), null, new ProviderRequest.Options(null, null, null, 2, true, 1));
        return new PreparedCompletion("chatcmpl-t", 1, GPT.model(), List.of(GPT), request, new CallContext("req-1", "acc-1"));
    }

    @Test
    void aWholeAnswerCarriesEveryChoiceWithItsLogprobsAndTheUpstreamsUsage() throws Exception {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson("""
                {"id":"chatcmpl-abc","object":"chat.completion","created":1735689600,"model":"gpt-x",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Yes","refusal":null},"logprobs":%s,"finish_reason":"stop"},
                            {"index":1,"message":{"role":"assistant","content":"No","refusal":null},"logprobs":%s,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}""".formatted(LOGPROBS_YES, LOGPROBS_NO))));

        JsonNode answer = JSON.valueToTree(service.complete(call()));

        JsonNode choices = answer.get("choices");
        assertThat(choices).hasSize(2);
        assertThat(choices.get(1).get("index").asInt()).isEqualTo(1);
        assertThat(choices.get(1).get("message").get("content").asString()).isEqualTo("No");
        assertThat(choices.get(1).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(choices.get(0).get("logprobs")).isEqualTo(JSON.readTree(LOGPROBS_YES));
        assertThat(choices.get(1).get("logprobs")).isEqualTo(JSON.readTree(LOGPROBS_NO));
        assertThat(answer.get("usage").get("completion_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void aStreamCarriesEachChoicesIndexLogprobsAndFinishReason() {
        stub.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(sse(
                chunk(0, "{\"role\":\"assistant\",\"content\":\"\"}", "null", null),
                chunk(1, "{\"role\":\"assistant\",\"content\":\"\"}", "null", null),
                chunk(0, "{\"content\":\"Yes\"}", LOGPROBS_YES, null),
                chunk(1, "{\"content\":\"No\"}", LOGPROBS_NO, null),
                chunk(0, "{}", "null", "\"stop\""),
                chunk(1, "{}", "null", "\"length\""),
                OpenAiStubs.usageChunk(10, 2), "[DONE]")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        service.stream(call(), () -> out, () -> { });

        List<JsonNode> events = Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n\n"))
                .map(e -> e.substring("data: ".length())).filter(e -> !e.equals("[DONE]")).map(JSON::readTree).toList();
        List<JsonNode> choices = events.stream().flatMap(e -> e.get("choices").valueStream()).toList();
        assertThat(choices.stream().filter(c -> c.get("delta").has("role")).map(c -> c.get("index").asInt()))
                .as("a role chunk per choice").containsExactly(0, 1);
        JsonNode no = choices.stream().filter(c -> "No".equals(c.get("delta").path("content").asString(null)))
                .findFirst().orElseThrow();
        assertThat(no.get("index").asInt()).isEqualTo(1);
        assertThat(no.get("logprobs")).isEqualTo(JSON.readTree(LOGPROBS_NO));
        assertThat(choices.stream().filter(c -> c.get("finish_reason").isString())
                .map(c -> c.get("index").asInt() + ":" + c.get("finish_reason").asString()))
                .containsExactly("0:stop", "1:length");
        assertThat(events.getLast().get("usage").get("completion_tokens").asInt()).isEqualTo(2);
    }

    private static String chunk(int index, String delta, String logprobs, String finishReason) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-x\","
                + "\"choices\":[{\"index\":" + index + ",\"delta\":" + delta + ",\"logprobs\":" + logprobs
                + ",\"finish_reason\":" + finishReason + "}],\"usage\":null}";
    }
}

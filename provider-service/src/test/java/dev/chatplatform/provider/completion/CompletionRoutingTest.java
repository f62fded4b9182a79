package dev.chatplatform.provider.completion;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.openai.OpenAiStubs;
import dev.chatplatform.provider.routing.CallContext;
import dev.chatplatform.provider.routing.RouteTarget;
import dev.chatplatform.provider.routing.Router;
import dev.chatplatform.provider.routing.RoutingProperties;
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

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.chatplatform.provider.openai.OpenAiStubs.chunk;
import static dev.chatplatform.provider.openai.OpenAiStubs.error;
import static dev.chatplatform.provider.openai.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the client (chat-service) receives when routing retries, falls back or breaks mid-stream. */
class CompletionRoutingTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RouteTarget GPT = TestRouting.target("gpt-x", "openai", 1_000_000, 2_000_000);
    private static final RouteTarget LLAMA = TestRouting.target("llama-x", "groq", 100_000, 200_000);
    private static final String ROLE = chunk("{\"role\":\"assistant\",\"content\":\"\"}", null);

    /** Whether the stream was opened (its 200 and headers sent). */
    private boolean opened;

    private List<JsonNode> stream(RouteTarget... targets) {
        return stream(TestRouting.fast(), targets);
    }

    private List<JsonNode> stream(RoutingProperties routing, RouteTarget... targets) {
        Router router = new Router(new ProviderRegistry(List.of(OpenAiStubs.provider("openai", stub.baseUrl() + "/a/v1"),
                OpenAiStubs.provider("groq", stub.baseUrl() + "/b/v1"))), routing, List.of());
        CompletionService service = new CompletionService(null, null, router, null, JSON,
                null, new dev.chatplatform.provider.auto.AutoSelections(), null, null);
        var request = new ProviderRequest("gpt-x", List.of(ProviderMessage.of("user", "Hello")), 100, List.of(), null, null);
        var call = new PreparedCompletion("chatcmpl-t", 1, targets[0].model(), List.of(targets), request,
                new CallContext("req-1", "acc-1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        service.stream(call, () -> {
            opened = true;
            return out;
        }, () -> { });
        return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\n\n"))
                .map(e -> e.substring("data: ".length()))
                .map(e -> e.equals("[DONE]") ? JSON.getNodeFactory().stringNode("[DONE]") : JSON.readTree(e))
                .toList();
    }

    @Test
    void aFailureBeforeTheFirstTokenIsInvisibleAndOnlyTheFallbackIsBilled() {
        stub.stubFor(post(urlEqualTo("/a/v1/chat/completions")).willReturn(error(500)));
        stub.stubFor(post(urlEqualTo("/b/v1/chat/completions")).willReturn(sse(ROLE, chunk("{\"content\":\"Hi\"}", null),
                chunk("{}", "\"stop\""), OpenAiStubs.usageChunk(7, 1), "[DONE]")));

        List<JsonNode> events = stream(GPT, LLAMA);

        assertThat(events.getLast().asString()).isEqualTo("[DONE]");
        assertThat(events).noneMatch(e -> e.has("error"));
        assertThat(events.stream().filter(e -> e.has("choices") && !e.get("choices").isEmpty()
                && e.get("choices").get(0).get("delta").has("role"))).as("one role chunk").hasSize(1);
        JsonNode usageChunk = events.get(events.size() - 2);
        JsonNode x = usageChunk.get("x_platform");
        assertThat(x.get("provider").asString()).isEqualTo("groq");
        assertThat(x.get("model").asString()).isEqualTo("llama-x");
        assertThat(x.get("cost_micro_usd").asLong()).isEqualTo(1); // ceil(7 * 0.1 + 1 * 0.2)
        assertThat(usageChunk.get("model").asString()).isEqualTo("llama-x");
    }

    @Test
    void aFailureAfterTheFirstTokenEndsTheStreamWithAnErrorEventCarryingThePartialUsage() {
        stub.stubFor(post(urlEqualTo("/a/v1/chat/completions")).willReturn(sse(ROLE, chunk("{\"content\":\"Hello\"}", null),
                chunk("{\"content\":\" world\"}", null))));

        List<JsonNode> events = stream(GPT, LLAMA);

        JsonNode last = events.getLast();
        assertThat(last.get("error").get("code").asString()).isEqualTo("stream_failed");
        assertThat(last.get("error").get("type").asString()).isEqualTo("server_error");
        JsonNode x = last.get("x_platform");
        assertThat(x.get("provider").asString()).isEqualTo("openai");
        assertThat(x.get("completion_tokens").asInt()).isEqualTo(2);
        assertThat(x.get("prompt_tokens").asInt()).isPositive();
        assertThat(x.get("cost_micro_usd").asLong()).isPositive()
                .isEqualTo(events.get(events.size() - 2).get("x_platform").get("cost_micro_usd").asLong());
        assertThat(events).noneMatch(e -> e.isString() && e.asString().equals("[DONE]"));
    }

    @Test
    void whenEveryDeploymentFailsBeforeAnsweringTheStreamIsNeverOpenedAndTheFailureIsThrown() {
        stub.stubFor(post(urlEqualTo("/a/v1/chat/completions")).willReturn(error(500)));
        stub.stubFor(post(urlEqualTo("/b/v1/chat/completions")).willReturn(error(429).withHeader("Retry-After", "30")));

        assertThatThrownBy(() -> stream(GPT, LLAMA)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(429);
            assertThat(e.toError().error().code()).isEqualTo("upstream_rate_limited");
            assertThat(e.retryAfterHeader()).contains("30");
        });
        assertThat(opened).as("no 200 was sent: the client gets the refusal's own status").isFalse();
    }

    @Test
    void whenEveryDeploymentIsAtItsConcurrencyLimitTheStreamIsNeverOpenedAndA429IsThrown() {
        RoutingProperties full = new RoutingProperties(3, 6, 0, TestRouting.fast().backoff(),
                TestRouting.fast().circuitBreaker());

        assertThatThrownBy(() -> stream(full, GPT, LLAMA)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(429);
            assertThat(e.toError().error().code()).isEqualTo("concurrency_limited");
            assertThat(e.retryAfterHeader()).contains("1");
        });
        assertThat(opened).isFalse();
        stub.verify(0, postRequestedFor(urlEqualTo("/a/v1/chat/completions")));
    }

    /** A deployment that sent its role chunk has started the stream: a failure after it is told in the stream. */
    @Test
    void whenNothingAnswersTheErrorEventBillsNothing() {
        stub.stubFor(post(urlEqualTo("/a/v1/chat/completions")).willReturn(sse(ROLE)));

        List<JsonNode> events = stream(GPT);

        JsonNode last = events.getLast();
        assertThat(last.get("error").get("code").asString()).isEqualTo("upstream_error");
        assertThat(last.get("x_platform").get("cost_micro_usd").asLong()).isZero();
        assertThat(last.get("x_platform").get("completion_tokens").asInt()).isZero();
    }
}

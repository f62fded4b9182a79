package dev.chatplatform.provider.routing;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.openai.OpenAiStubs;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.chatplatform.provider.openai.OpenAiStubs.answer;
import static dev.chatplatform.provider.openai.OpenAiStubs.chunk;
import static dev.chatplatform.provider.openai.OpenAiStubs.error;
import static dev.chatplatform.provider.openai.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The router over two OpenAI-protocol providers served by one local stub: "openai" under /a, "groq" under /b.
 * One WireMock server for the class (stubs are reset between tests); a fresh router (fresh breakers) per test.
 */
class RouterTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String A = "/a/v1/chat/completions";
    private static final String B = "/b/v1/chat/completions";
    private static final RouteTarget GPT = TestRouting.target("gpt-x", "openai", 1_000_000, 2_000_000);
    private static final RouteTarget LLAMA = TestRouting.target("llama-x", "groq", 100_000, 200_000);
    private static final ProviderRequest REQUEST = new ProviderRequest("gpt-x",
            List.of(ProviderMessage.of("user", "Hello")), 100, List.of(), null, null);
    private static final CallContext CONTEXT = new CallContext("req-1", "acc-1");

    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    private Router router(RoutingProperties properties) {
        return new Router(new ProviderRegistry(List.of(OpenAiStubs.provider("openai", stub.baseUrl() + "/a/v1"),
                OpenAiStubs.provider("groq", stub.baseUrl() + "/b/v1"))), properties, List.of(attempts::add));
    }

    @Test
    void aRateLimitIsRetriedAfterTheProvidersRetryAfter() throws IOException {
        stub.stubFor(post(urlEqualTo(A)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(429).withHeader("Retry-After", "1")).willSetStateTo("retried"));
        stub.stubFor(post(urlEqualTo(A)).inScenario("429").whenScenarioStateIs("retried")
                .willReturn(answer("Hi!", 9, 2)));

        long start = System.nanoTime();
        Routed routed = router(TestRouting.fast()).generate(List.of(GPT, LLAMA), REQUEST, RoutedObserver.IGNORE, CONTEXT);

        assertThat((System.nanoTime() - start) / 1_000_000).as("waited the 1 s Retry-After, not the 10 ms backoff")
                .isGreaterThanOrEqualTo(1_000);
        assertThat(routed.generation().content()).isEqualTo("Hi!");
        assertThat(routed.target()).isEqualTo(GPT);
        assertThat(routed.attempts()).isEqualTo(2);
        stub.verify(2, postRequestedFor(urlEqualTo(A)));
        stub.verify(0, postRequestedFor(urlEqualTo(B)));
        assertThat(attempts).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.RETRY, Attempt.Outcome.SUCCESS);
        assertThat(attempts.getFirst().errorClass()).isEqualTo("rate_limited");
        assertThat(attempts.getFirst().costMicroUsd()).as("the refused call consumed nothing").isZero();
        assertThat(attempts.get(1).usage()).isEqualTo(new TokenUsage(9, 0, 2, false));
        assertThat(attempts.get(1).costMicroUsd()).isEqualTo(13); // ceil((9 * 1.0 + 2 * 2.0) micro-USD)
        assertThat(attempts).extracting(Attempt::number).containsExactly(1, 2);
    }

    @Test
    void aRetryAfterLongerThanAllowedMovesOnToTheFallbackAtOnce() throws IOException {
        stub.stubFor(post(urlEqualTo(A)).willReturn(error(429).withHeader("Retry-After", "60")));
        stub.stubFor(post(urlEqualTo(B)).willReturn(answer("From groq", 5, 3)));

        long start = System.nanoTime();
        Routed routed = router(TestRouting.fast()).generate(List.of(GPT, LLAMA), REQUEST, RoutedObserver.IGNORE, CONTEXT);

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(routed.target()).isEqualTo(LLAMA);
        stub.verify(1, postRequestedFor(urlEqualTo(A)));
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenTheFallbackModelAnswersAndIsTheOneBilled() throws IOException {
        stub.stubFor(post(urlEqualTo(A)).willReturn(error(500)));
        stub.stubFor(post(urlEqualTo(B)).willReturn(answer("From groq", 5, 3)));

        RoutingProperties lenientBreaker = new RoutingProperties(3, 6, 256, TestRouting.fast().backoff(),
                TestRouting.defaults().circuitBreaker());
        Routed routed = router(lenientBreaker).generate(List.of(GPT, LLAMA), REQUEST, RoutedObserver.IGNORE, CONTEXT);

        assertThat(routed.generation().content()).isEqualTo("From groq");
        assertThat(routed.target()).isEqualTo(LLAMA);
        assertThat(routed.attempts()).isEqualTo(4);
        stub.verify(3, postRequestedFor(urlEqualTo(A)));
        assertThat(attempts).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.RETRY, Attempt.Outcome.RETRY,
                Attempt.Outcome.FALLBACK, Attempt.Outcome.SUCCESS);
        assertThat(attempts).extracting(a -> a.target().provider()).containsExactly("openai", "openai", "openai", "groq");
        assertThat(attempts.getLast().costMicroUsd()).isEqualTo(LLAMA.cost(new TokenUsage(5, 0, 3, false)));
    }

    @Test
    void aBadRequestIsNeitherRetriedNorSentToTheFallback() {
        stub.stubFor(post(urlEqualTo(A)).willReturn(error(400)));
        stub.stubFor(post(urlEqualTo(B)).willReturn(answer("From groq", 5, 3)));

        assertThatThrownBy(() -> router(TestRouting.fast()).generate(List.of(GPT, LLAMA), REQUEST, RoutedObserver.IGNORE,
                CONTEXT)).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.toError().error().code()).isEqualTo("upstream_rejected");
                });
        stub.verify(1, postRequestedFor(urlEqualTo(A)));
        stub.verify(0, postRequestedFor(urlEqualTo(B)));
        assertThat(attempts).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.ERROR);
    }

    @Test
    void serverErrorsOpenTheProvidersBreakerWhichRecoversThroughAHalfOpenProbe() throws Exception {
        RoutingProperties oneCallEach = new RoutingProperties(1, 6, 256, TestRouting.fast().backoff(),
                TestRouting.fast().circuitBreaker());
        Router router = router(oneCallEach);
        stub.stubFor(post(urlEqualTo(A)).willReturn(error(503)));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> router.generate(List.of(GPT), REQUEST, RoutedObserver.IGNORE, CONTEXT))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(502));
        }
        assertThat(router.breakerState("openai")).isEqualTo(CircuitBreaker.State.OPEN);

        assertThatThrownBy(() -> router.generate(List.of(GPT), REQUEST, RoutedObserver.IGNORE, CONTEXT))
                .as("an open breaker answers at once without calling the provider")
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(503);
                    assertThat(e.toError().error().code()).isEqualTo("upstream_unavailable");
                    assertThat(e.retryAfterHeader()).as("the breaker's 300 ms open period, in whole seconds").contains("1");
                });
        stub.verify(2, postRequestedFor(urlEqualTo(A)));
        stub.stubFor(post(urlEqualTo(B)).willReturn(answer("From groq", 5, 3)));
        assertThat(router.generate(List.of(GPT, LLAMA), REQUEST, RoutedObserver.IGNORE, CONTEXT).target())
                .as("while open, traffic goes straight to the fallback").isEqualTo(LLAMA);
        stub.verify(2, postRequestedFor(urlEqualTo(A)));

        stub.stubFor(post(urlEqualTo(A)).willReturn(answer("Back", 5, 1)));
        Thread.sleep(350); // the breaker's 300 ms open period
        Routed probe = router.generate(List.of(GPT), REQUEST, RoutedObserver.IGNORE, CONTEXT);

        assertThat(probe.generation().content()).isEqualTo("Back");
        assertThat(router.breakerState("openai")).as("one successful half-open probe closes it")
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void everyDeploymentAtItsConcurrencyLimitIsA429WithRetryAfterAndNoCall() {
        RoutingProperties full = new RoutingProperties(3, 6, 0, TestRouting.fast().backoff(),
                TestRouting.fast().circuitBreaker());

        assertThatThrownBy(() -> router(full).generate(List.of(GPT, LLAMA), REQUEST, RoutedObserver.IGNORE, CONTEXT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(429);
                    assertThat(e.toError().error().type()).isEqualTo("rate_limit_error");
                    assertThat(e.toError().error().code()).isEqualTo("concurrency_limited");
                    assertThat(e.toError().error().message()).contains("'gpt-x'").contains("groq: concurrency_limited");
                    assertThat(e.retryAfterHeader()).contains("1");
                });
        stub.verify(0, postRequestedFor(urlEqualTo(A)));
        stub.verify(0, postRequestedFor(urlEqualTo(B)));
        assertThat(attempts).as("no upstream call was made").isEmpty();
    }

    @Test
    void aProvidersRateLimitLongerThanWeWaitIsA429PassingItsRetryAfterOn() {
        stub.stubFor(post(urlEqualTo(A)).willReturn(error(429).withHeader("Retry-After", "20")));

        assertThatThrownBy(() -> router(TestRouting.fast()).generate(List.of(GPT), REQUEST, RoutedObserver.IGNORE, CONTEXT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(429);
                    assertThat(e.toError().error().code()).isEqualTo("upstream_rate_limited");
                    assertThat(e.retryAfterHeader()).contains("20");
                });
        stub.verify(1, postRequestedFor(urlEqualTo(A)));
    }

    @Test
    void aStreamFailingBeforeItsFirstTokenFallsBackSilently() throws IOException {
        stub.stubFor(post(urlEqualTo(A)).willReturn(sse(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null))));
        stub.stubFor(post(urlEqualTo(B)).willReturn(sse(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"Hi\"}", null), chunk("{}", "\"stop\""), OpenAiStubs.usageChunk(7, 1), "[DONE]")));
        List<String> seen = new ArrayList<>();

        Routed routed = router(new RoutingProperties(1, 6, 256, TestRouting.fast().backoff(),
                TestRouting.fast().circuitBreaker())).generate(List.of(GPT, LLAMA), REQUEST, new RoutedObserver() {
            @Override
            public void started(RouteTarget target, TokenUsage usage) {
                seen.add("started:" + target.provider());
            }

            @Override
            public void delta(RouteTarget target, String content, TokenUsage usageSoFar) {
                seen.add(target.provider() + ":" + content);
            }
        }, CONTEXT);

        assertThat(seen).as("one start, then only the fallback's pieces").containsExactly("started:openai", "groq:Hi");
        assertThat(routed.target()).isEqualTo(LLAMA);
        assertThat(attempts).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.FALLBACK, Attempt.Outcome.SUCCESS);
        assertThat(attempts.getFirst().errorClass()).isEqualTo("stream_cut");
    }

    @Test
    void aStreamFailingAfterItsFirstTokenIsNeitherRetriedNorReplaced() {
        stub.stubFor(post(urlEqualTo(A)).willReturn(sse(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"Hello\"}", null), chunk("{\"content\":\" there\"}", null))));
        stub.stubFor(post(urlEqualTo(B)).willReturn(answer("From groq", 5, 3)));

        assertThatThrownBy(() -> router(TestRouting.fast()).generate(List.of(GPT, LLAMA), REQUEST, new RoutedObserver() {
            @Override
            public void started(RouteTarget target, TokenUsage usage) {
            }

            @Override
            public void delta(RouteTarget target, String content, TokenUsage usageSoFar) {
            }
        }, CONTEXT)).isInstanceOfSatisfying(StreamBrokenException.class, e -> {
            assertThat(e.target()).isEqualTo(GPT);
            assertThat(e.usageSoFar().completionTokens()).isEqualTo(2);
            assertThat(e.usageSoFar().estimated()).isTrue();
        });
        stub.verify(1, postRequestedFor(urlEqualTo(A)));
        stub.verify(0, postRequestedFor(urlEqualTo(B)));
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Attempt.Outcome.ERROR);
            assertThat(a.usage().completionTokens()).isEqualTo(2);
            assertThat(a.costMicroUsd()).isPositive();
            assertThat(a.timeToFirstTokenMs()).isNotNull();
        });
    }

    @Test
    void weightedOrderFollowsTheWeightsAndPutsStandbysLast() {
        var heavy = new dev.chatplatform.provider.catalog.Deployment("openai", "m", 3);
        var light = new dev.chatplatform.provider.catalog.Deployment("groq", "m", 1);
        var standby = new dev.chatplatform.provider.catalog.Deployment("anthropic", "m", 0);
        var random = new java.util.SplittableRandom(42);
        int heavyFirst = 0;
        for (int i = 0; i < 4000; i++) {
            var order = RoutePlanner.weightedOrder(List.of(light, heavy, standby), random);
            assertThat(order).hasSize(3).endsWith(standby);
            heavyFirst += order.getFirst() == heavy ? 1 : 0;
        }
        assertThat(heavyFirst).isBetween(2800, 3200); // 3 / (3 + 1) of 4000
    }
}

package dev.chatplatform.gateway.ratelimit;

import dev.chatplatform.gateway.auth.ApiKeyAuthenticator;
import dev.chatplatform.gateway.auth.AuthenticationFilter;
import dev.chatplatform.gateway.edge.ErrorResponses;
import dev.chatplatform.gateway.quota.QuotaView;
import dev.chatplatform.kit.identity.CallerIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter with its buckets in memory (the local default, no Redis), through mock exchanges. */
class RateLimitFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RateLimitProperties properties = new RateLimitProperties(true, 3, 1_000, 100, 1024, "", "rl:",
            Duration.ofMillis(250));
    private final QuotaView quotas = new QuotaView();
    private RateLimitFilter filter = filter(properties);

    @Test
    void theRequestAfterTheLimitIsRefusedWith429AndEveryAnswerCarriesTheHeaders() {
        CallerIdentity caller = new CallerIdentity("acc_1", "key_1", Set.of("chat"));
        for (int i = 1; i <= 3; i++) {
            MockServerWebExchange ok = run(chat(), caller);
            assertThat(ok.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(ok.getResponse().getHeaders().getFirst("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(ok.getResponse().getHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
        }

        MockServerWebExchange refused = run(chat(), caller);

        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("20");
        assertThat(refused.getResponse().getHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.getResponse().getHeaders().getFirst("X-RateLimit-Reset")).isEqualTo("60");
        var error = JSON.readTree(refused.getResponse().getBodyAsString().block()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("type").asString()).isEqualTo("requests");
    }

    @Test
    void aKeyCanBeHeldToAShareOfItsAccountsLimit() {
        filter = filter(new RateLimitProperties(true, 4, 1_000, 50, 1024, "", "rl:", Duration.ofMillis(250)));
        CallerIdentity first = new CallerIdentity("acc_1", "key_1", Set.of("chat"));
        CallerIdentity second = new CallerIdentity("acc_1", "key_2", Set.of("chat"));

        assertThat(status(first)).isEqualTo(HttpStatus.OK);
        assertThat(status(first)).isEqualTo(HttpStatus.OK);
        MockServerWebExchange refused = run(chat(), first);
        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getResponse().getBodyAsString().block()).contains("for API key key_1");
        assertThat(status(second)).as("the account still has room for its other key").isEqualTo(HttpStatus.OK);
    }

    @Test
    void chatRequestsTakeTheirEstimatedTokensAndStillReachTheRouteWhole() {
        CallerIdentity caller = new CallerIdentity("acc_1", null, Set.of("chat"));
        String body = "{\"model\":\"sim-1\",\"max_tokens\":500,\"messages\":[]}";
        AtomicReference<String> forwarded = new AtomicReference<>();
        WebFilterChain route = ex -> DataBufferUtils.join(ex.getRequest().getBody())
                .doOnNext(b -> forwarded.set(b.toString(StandardCharsets.UTF_8)))
                .then(Mono.defer(() -> ex.getResponse().setComplete()));

        MockServerWebExchange ok = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/chat/completions").body(body));
        ok.getAttributes().put(AuthenticationFilter.CALLER_ATTRIBUTE, caller);
        filter.filter(ok, route).block();

        assertThat(forwarded.get()).isEqualTo(body);
        long estimate = (body.length() + 3) / 4 + 500;
        assertThat(ok.getResponse().getHeaders().getFirst("X-RateLimit-Remaining-Tokens"))
                .isEqualTo(Long.toString(1_000 - estimate));
        MockServerWebExchange refused = MockServerWebExchange.from(
                MockServerHttpRequest.post("/api/v1/conversations/c1/regenerate").body(body));
        refused.getAttributes().put(AuthenticationFilter.CALLER_ATTRIBUTE, caller);
        filter.filter(refused, route).block();
        assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(refused.getResponse().getBodyAsString().block()).contains("\"type\":\"tokens\"");
    }

    @Test
    void theBootstrapAdminAnonymousCallsAndNonModelRoutesAreNotLimited() {
        CallerIdentity admin = new CallerIdentity(ApiKeyAuthenticator.ADMIN_ACCOUNT, ApiKeyAuthenticator.ADMIN_KEY_ID,
                Set.of(CallerIdentity.ADMIN));
        CallerIdentity caller = new CallerIdentity("acc_1", "key_1", Set.of("chat"));
        for (int i = 0; i < 10; i++) {
            MockServerWebExchange exchange = run(chat(), admin);
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(exchange.getResponse().getHeaders().getFirst("X-RateLimit-Limit")).isNull();
            assertThat(run(chat(), null).getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(run(get("/api/v1/usage/me"), caller).getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
        }
    }

    private HttpStatus status(CallerIdentity caller) {
        return (HttpStatus) run(chat(), caller).getResponse().getStatusCode();
    }

    private MockServerWebExchange run(MockServerHttpRequest request, CallerIdentity caller) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        if (caller != null) {
            exchange.getAttributes().put(AuthenticationFilter.CALLER_ATTRIBUTE, caller);
        }
        filter.filter(exchange, ex -> {
            ex.getResponse().setStatusCode(HttpStatus.OK);
            return ex.getResponse().setComplete();
        }).block();
        return exchange;
    }

    private static MockServerHttpRequest get(String path) {
        return MockServerHttpRequest.get(path).build();
    }

    private static MockServerHttpRequest chat() {
        return MockServerHttpRequest.post("/v1/chat/completions").body("{\"max_tokens\":10}");
    }

    private RateLimitFilter filter(RateLimitProperties props) {
        return new RateLimitFilter(new LocalRateLimiter(System::currentTimeMillis), quotas,
                new TokenEstimator(JSON, props.defaultMaxTokens()), new ErrorResponses(JSON), props,
                new SimpleMeterRegistry());
    }
}

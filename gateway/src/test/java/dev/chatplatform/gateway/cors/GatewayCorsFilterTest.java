package dev.chatplatform.gateway.cors;

import dev.chatplatform.gateway.cors.CorsConfig.GatewayCorsFilter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CORS filter as configured from {@code gateway.cors.*}, defaults included (over HTTP: CorsTest). */
class GatewayCorsFilterTest {

    private static final String APP = "https://app.example.com";
    private static final String API = "https://api.example.com/v1/chat/completions";

    @Test
    void byDefaultNoOriginIsAllowedAndAPreflightIsRefusedWith403() {
        Outcome preflight = run(filter(Map.of()), preflight(APP, "POST", "authorization,content-type"));

        assertThat(preflight.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(preflight.passedOn()).isFalse();
        assertThat(preflight.headers().getAccessControlAllowOrigin()).isNull();
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutGoingFurther() {
        Outcome preflight = run(filter(Map.of("gateway.cors.allowed-origins", "https://other.example, " + APP)),
                preflight(APP, "POST", "authorization,content-type,x-stainless-lang,x-stainless-retry-count,"
                        + "openai-organization,x-request-id"));

        assertThat(preflight.status()).isIn(null, HttpStatus.OK);
        assertThat(preflight.passedOn()).as("answered before authentication").isFalse();
        HttpHeaders headers = preflight.headers();
        assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(APP);
        assertThat(headers.getAccessControlAllowMethods()).contains(HttpMethod.POST);
        assertThat(headers.getAccessControlAllowHeaders()).containsExactly("authorization", "content-type",
                "x-stainless-lang", "x-stainless-retry-count", "openai-organization", "x-request-id");
        assertThat(headers.getAccessControlMaxAge()).isEqualTo(7200);
        assertThat(headers.getAccessControlAllowCredentials()).isFalse();
        assertThat(headers.getFirst(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isNull();
    }

    @Test
    void aPreflightAskingForAHeaderOffTheListOrFromAnotherOriginIsRefused() {
        GatewayCorsFilter filter = filter(Map.of("gateway.cors.allowed-origins", APP));

        Outcome unknownHeader = run(filter, preflight(APP, "POST", "authorization,x-secret-header"));
        assertThat(unknownHeader.passedOn()).isFalse();
        assertThat(unknownHeader.headers().getAccessControlAllowHeaders()).as("the browser then refuses the request")
                .doesNotContain("x-secret-header");
        assertThat(run(filter, preflight("https://evil.example", "POST", "authorization")).status())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(run(filter, preflight("https://app.example.com.evil.example", "POST", "authorization")).status())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void anActualRequestGetsItsHeadersBeforeTheRestOfTheChainRuns() {
        Outcome request = run(filter(Map.of("gateway.cors.allowed-origins", APP)),
                MockServerHttpRequest.post(API).header(HttpHeaders.ORIGIN, APP));

        assertThat(request.passedOn()).isTrue();
        assertThat(request.headers().getAccessControlAllowOrigin()).isEqualTo(APP);
        assertThat(request.headers().getAccessControlExposeHeaders()).contains("X-Request-Id", "Retry-After",
                "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Limit-Tokens",
                "X-RateLimit-Remaining-Tokens", "X-RateLimit-Reset-Tokens");
        assertThat(request.headers().getVary()).contains(HttpHeaders.ORIGIN);
    }

    @Test
    void anActualRequestFromAnOriginOffTheListIsPassedOnWithoutCorsHeaders() {
        Outcome request = run(filter(Map.of()), MockServerHttpRequest.post(API).header(HttpHeaders.ORIGIN, APP));

        assertThat(request.passedOn()).isTrue();
        assertThat(request.status()).isNull();
        assertThat(request.headers().getAccessControlAllowOrigin()).isNull();
        assertThat(request.headers().getAccessControlExposeHeaders()).isEmpty();
        assertThat(request.headers().getVary()).as("caches keep answers per origin").contains(HttpHeaders.ORIGIN);
    }

    @Test
    void wildcardPatternsMatchSubdomainsAndPorts() {
        GatewayCorsFilter filter = filter(Map.of("gateway.cors.allowed-origins",
                "https://*.example.com,http://localhost:[*]"));

        assertThat(run(filter, preflight("https://chat.example.com", "POST", "authorization")).headers()
                .getAccessControlAllowOrigin()).isEqualTo("https://chat.example.com");
        assertThat(run(filter, preflight("http://localhost:5173", "GET", "authorization")).headers()
                .getAccessControlAllowOrigin()).isEqualTo("http://localhost:5173");
        assertThat(run(filter, preflight("https://example.org", "POST", "authorization")).status())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void anyOriginIsAnsweredWithAStarAndNeverWithCredentials() {
        Outcome any = run(filter(Map.of("gateway.cors.allowed-origins", "*")),
                preflight(APP, "POST", "authorization"));
        assertThat(any.headers().getAccessControlAllowOrigin()).isEqualTo("*");
        assertThat(any.headers().getFirst(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS)).isNull();

        assertThatThrownBy(() -> filter(Map.of("gateway.cors.allowed-origins", "*",
                "gateway.cors.allow-credentials", "true")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("may not be '*' while GATEWAY_CORS_ALLOW_CREDENTIALS is true");
    }

    @Test
    void credentialsWhenConfiguredEchoTheOrigin() {
        Outcome preflight = run(filter(Map.of("gateway.cors.allowed-origins", APP,
                "gateway.cors.allow-credentials", "true", "gateway.cors.max-age", "10m")),
                preflight(APP, "POST", "authorization"));

        assertThat(preflight.headers().getAccessControlAllowOrigin()).isEqualTo(APP);
        assertThat(preflight.headers().getAccessControlAllowCredentials()).isTrue();
        assertThat(preflight.headers().getAccessControlMaxAge()).isEqualTo(600);
    }

    @Test
    void anEntryThatIsNotAnOriginIsRefusedAtStartup() {
        assertThatThrownBy(() -> filter(Map.of("gateway.cors.allowed-origins", "https://app.example.com/chat")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("'https://app.example.com/chat' is not an origin");
        assertThatThrownBy(() -> filter(Map.of("gateway.cors.allowed-origins", "app.example.com")))
                .rootCause().hasMessageContaining("is not an origin");
    }

    private static GatewayCorsFilter filter(Map<String, String> properties) {
        CorsProperties cors = new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("gateway.cors", CorsProperties.class);
        return new CorsConfig().gatewayCorsFilter(cors);
    }

    private static MockServerHttpRequest.BaseBuilder<?> preflight(String origin, String method, String headers) {
        return MockServerHttpRequest.options(API).header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, headers);
    }

    private static Outcome run(GatewayCorsFilter filter, MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        AtomicBoolean passedOn = new AtomicBoolean();
        WebFilterChain chain = e -> {
            passedOn.set(true);
            return Mono.empty();
        };
        filter.filter(exchange, chain).block();
        return new Outcome(exchange.getResponse().getStatusCode() == null ? null
                : HttpStatus.valueOf(exchange.getResponse().getStatusCode().value()),
                exchange.getResponse().getHeaders(), passedOn.get());
    }

    private record Outcome(HttpStatus status, HttpHeaders headers, boolean passedOn) {
    }
}

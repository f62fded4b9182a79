package dev.chatplatform.gateway;

import dev.chatplatform.gateway.quota.QuotaView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cross-origin access over HTTP, in the filter order of the running gateway: preflights before authentication,
 * CORS headers on answers and on the gateway's own errors, the services' own CORS headers dropped (the stubs send
 * {@code Access-Control-Allow-Origin: *}). Allow-list: {@link #APP_ORIGIN} and {@code http://localhost:[*]}.
 */
class CorsTest extends GatewayIntegrationTest {

    private static final String CHAT = "{\"model\":\"sim-1\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Autowired
    QuotaView quotas;

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithoutAKey() {
        HttpResponse<String> preflight = preflight(APP_ORIGIN, "authorization,content-type,x-stainless-os");

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.body()).as("not forwarded to a service").isEmpty();
        HttpHeaders headers = preflight.headers();
        assertThat(headers.allValues("Access-Control-Allow-Origin")).containsExactly(APP_ORIGIN);
        assertThat(headers.firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(
                methods -> assertThat(methods).contains("POST"));
        assertThat(headers.firstValue("Access-Control-Allow-Headers"))
                .hasValueSatisfying(allowed -> assertThat(allowed.split(", *"))
                        .containsExactly("authorization", "content-type", "x-stainless-os"));
        assertThat(headers.firstValue("Access-Control-Max-Age")).hasValue("7200");
        assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(headers.firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedWith403AndNoCorsHeaders() {
        HttpResponse<String> preflight = preflight("https://evil.example", "authorization,content-type");

        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void anAnswerToAnAllowedOriginCarriesTheGatewaysCorsHeadersOnly() {
        TestKey key = activeKey("chat");

        HttpResponse<String> answer = chat(key, APP_ORIGIN);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().allValues("Access-Control-Allow-Origin"))
                .as("the gateway's, not the service's '*'").containsExactly(APP_ORIGIN);
        assertThat(exposed(answer)).contains("x-request-id", "retry-after", "x-ratelimit-limit",
                "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-remaining-tokens");
        assertThat(answer.headers().firstValue("X-RateLimit-Remaining")).isPresent();
        assertThat(String.join(",", answer.headers().allValues("Vary"))).contains("Origin");
    }

    @Test
    void anAnswerToAnotherOriginHasNoCorsHeadersAtAll() {
        TestKey key = activeKey("chat");

        HttpResponse<String> answer = chat(key, "https://evil.example");

        assertThat(answer.statusCode()).as("served: the browser keeps it from the page").isEqualTo(200);
        assertThat(answer.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void authenticationErrorsCarryCorsHeadersSoThePageCanReadThem() {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("Origin", APP_ORIGIN)
                .header("Content-Type", "application/json").build());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(body(refused).path("error").path("code").asString()).isEqualTo("missing_api_key");
        assertThat(refused.headers().allValues("Access-Control-Allow-Origin")).containsExactly(APP_ORIGIN);
        assertThat(exposed(refused)).contains("x-request-id");
    }

    @Test
    void rateLimitRefusalsCarryCorsHeadersAndExposeRetryAfter() {
        TestKey key = activeKey("chat");
        publish(quota(key.accountId(), "free", 1, 20_000, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> quotas.find(key.accountId()).isPresent());
        chat(key, APP_ORIGIN);

        HttpResponse<String> refused = chat(key, APP_ORIGIN);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().allValues("Access-Control-Allow-Origin")).containsExactly(APP_ORIGIN);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(exposed(refused)).contains("retry-after", "x-ratelimit-reset");
    }

    @Test
    void errorsTheGatewayAnswersForADownServiceCarryCorsHeaders() {
        HttpResponse<String> down = get("/api/v1/analytics/summary", "Authorization", "Bearer " + ADMIN_KEY,
                "Origin", APP_ORIGIN);

        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().allValues("Access-Control-Allow-Origin")).containsExactly(APP_ORIGIN);
    }

    private HttpResponse<String> preflight(String origin, String requestHeaders) {
        return send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", requestHeaders).build());
    }

    private HttpResponse<String> chat(TestKey key, String origin) {
        return send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("Authorization", key.bearer())
                .header("Content-Type", "application/json").header("Origin", origin).build());
    }

    private static String exposed(HttpResponse<String> response) {
        return String.join(",", response.headers().allValues("Access-Control-Expose-Headers")).toLowerCase();
    }
}

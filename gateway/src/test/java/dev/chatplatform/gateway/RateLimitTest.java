package dev.chatplatform.gateway;

import dev.chatplatform.gateway.apikey.ApiKeyView;
import dev.chatplatform.gateway.quota.QuotaView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rate limits through HTTP, tiers from quota.v1 (buckets in {@link TestRedis}; in memory: RateLimitFilterTest). */
class RateLimitTest extends GatewayIntegrationTest {

    @Autowired
    QuotaView quotas;

    @Autowired
    ApiKeyView keys;

    @Autowired
    HealthEndpointGroups healthGroups;

    @Test
    void theRequestAfterTheLimitWithinAMinuteIsRefusedWith429AndRateLimitHeaders() {
        TestKey key = keyOnTier("basic", 3, 100_000);

        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> ok = chat(key);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
            assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(3 - i));
            assertThat(ok.headers().firstValue("X-RateLimit-Reset")).isPresent();
        }
        HttpResponse<String> refused = chat(key);

        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = body(refused).path("error");
        assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("type").asString()).isEqualTo("requests");
        assertThat(error.path("message").asString()).contains("requests per minute", key.accountId(), "Limit 3");
        assertThat(error.has("param")).isTrue();
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).as("one request refills in 20 s at 3 per minute").isBetween(1L, 20L);
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        long reset = Long.parseLong(refused.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        assertThat(reset).isBetween(55L, 60L);
        assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void aTierChangeOnQuotaV1AppliesAtOnce() {
        TestKey key = keyOnTier("free", 2, 20_000);
        chat(key);
        chat(key);
        assertThat(chat(key).statusCode()).isEqualTo(429);

        publish(quota(key.accountId(), "pro", 50, 500_000, 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> quotas.find(key.accountId())
                .filter(q -> q.version() == 2).isPresent());

        HttpResponse<String> upgraded = chat(key);
        assertThat(upgraded.statusCode()).isEqualTo(200);
        assertThat(upgraded.headers().firstValue("X-RateLimit-Limit")).hasValue("50");
        assertThat(upgraded.headers().firstValue("X-RateLimit-Remaining"))
                .as("the 2 requests already used this minute still count").hasValue("47");

        publish(quota(key.accountId(), "free", 2, 20_000, 3));
        await().atMost(Duration.ofSeconds(5)).until(() -> quotas.find(key.accountId())
                .filter(q -> q.version() == 3).isPresent());
        assertThat(chat(key).statusCode())
                .as("a downgrade applies at once too").isEqualTo(429);
    }

    @Test
    void chatRequestsAreLimitedByTheirEstimatedTokensPerMinute() {
        TestKey key = keyOnTier("basic", 100, 1_000);
        String body = "{\"model\":\"sim-1\",\"max_tokens\":600,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        long estimate = (body.length() + 3) / 4 + 600;

        HttpResponse<String> first = post("/v1/chat/completions", key, body);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(body(first).path("bodyBytes").asInt()).as("the body still reaches the service whole")
                .isEqualTo(body.length());
        assertThat(first.headers().firstValue("X-RateLimit-Limit-Tokens")).hasValue("1000");
        assertThat(first.headers().firstValue("X-RateLimit-Remaining-Tokens")).hasValue(Long.toString(1000 - estimate));
        assertThat(first.headers().firstValue("X-RateLimit-Limit")).hasValue("100");

        HttpResponse<String> refused = post("/v1/chat/completions", key, body);
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonNode error = body(refused).path("error");
        assertThat(error.path("type").asString()).isEqualTo("tokens");
        assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("message").asString()).contains("tokens per minute", "Requested " + estimate);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<String> small = post("/api/v1/conversations/c1/messages", key, "{\"content\":\"hi\",\"maxTokens\":50}");
        assertThat(small.statusCode()).as("a smaller request still fits").isEqualTo(200);
        assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("99");
        assertThat(small.headers().firstValue("X-RateLimit-Remaining")).as("a refused request took nothing from any bucket")
                .hasValue("98");
    }

    @Test
    void anAccountsKeysShareItsLimit() {
        TestKey first = keyOnTier("free", 4, 20_000);
        TestKey second = secondKey(first);

        for (TestKey key : List.of(first, first, second, second)) {
            assertThat(chat(key).statusCode()).isEqualTo(200);
        }
        assertThat(chat(second).statusCode()).isEqualTo(429);
        assertThat(chat(first).statusCode()).isEqualTo(429);
    }

    @Test
    void anAccountQuotaV1HasNotMentionedGetsTheFreeTiersDefaults() {
        TestKey key = activeKey("chat");

        HttpResponse<String> response = chat(key);

        assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("10");
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("9");
        assertThat(response.headers().firstValue("X-RateLimit-Limit-Tokens")).hasValue("20000");
    }

    @Test
    void readsAndManagementCallsAreNotLimited() {
        TestKey key = keyOnTier("free", 1, 20_000);

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/api/v1/usage/me", "Authorization", key.bearer());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-RateLimit-Limit")).isEmpty();
        }
        assertThat(chat(key).statusCode()).isEqualTo(200);
        assertThat(chat(key).statusCode()).isEqualTo(429);
    }

    @Test
    void theBootstrapAdminKeyIsNotLimited() {
        for (int i = 0; i < 15; i++) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT)).header("Authorization", "Bearer " + ADMIN_KEY).build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-RateLimit-Limit")).isEmpty();
        }
    }

    @Test
    void readinessWaitsForTheQuotaView() {
        assertThat(healthGroups.get("readiness").isMember("quotaView")).isTrue();
    }

    private static final String CHAT = "{\"model\":\"sim-1\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private HttpResponse<String> chat(TestKey key) {
        return post("/v1/chat/completions", key, CHAT);
    }

    /** A new key on a new account whose quota.v1 state is already in the gateway's view. */
    private TestKey keyOnTier(String tier, long requestsPerMinute, long tokensPerMinute) {
        String accountId = "acc_" + UUID.randomUUID().toString().substring(0, 8);
        publish(quota(accountId, tier, requestsPerMinute, tokensPerMinute, 1));
        TestKey key = newKey(accountId);
        await().atMost(Duration.ofSeconds(5)).until(() -> quotas.find(accountId).isPresent());
        return key;
    }

    private TestKey secondKey(TestKey of) {
        return newKey(of.accountId());
    }

    private TestKey newKey(String accountId) {
        String secret = "sk-cp-" + UUID.randomUUID().toString().replace("-", "");
        TestKey key = new TestKey(secret, "key_" + UUID.randomUUID().toString().substring(0, 8), accountId,
                List.of("chat"));
        publish(key.state(1, "active"));
        await().atMost(Duration.ofSeconds(5)).until(() -> keys.findActive(sha256Hex(secret)).isPresent());
        return key;
    }

    private HttpResponse<String> post(String path, TestKey key, String body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", key.bearer()).header("Content-Type", "application/json").build());
    }
}

package dev.chatplatform.gateway;

import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuthenticationTest extends GatewayIntegrationTest {

    @Test
    void validKeyIsForwardedWithASignedIdentityAndARequestId() {
        TestKey key = activeKey("chat");

        HttpResponse<String> response = get("/api/v1/accounts/me", "Authorization", key.bearer());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echoed = body(response);
        assertThat(echoed.path("service").asString()).isEqualTo("billing");
        CallerIdentity identity = TestIdentities.verifyAs("billing-service", forwarded(echoed, "x-platform-identity"))
                .orElseThrow();
        assertThat(identity).isEqualTo(new CallerIdentity(key.accountId(), key.keyId(), Set.of("chat"), "gateway"));
        String requestId = forwarded(echoed, "x-request-id");
        assertThat(requestId).startsWith("req_");
        assertThat(response.headers().allValues("X-Request-Id")).containsExactly(requestId);
        assertThat(echoed.path("headers").has("authorization")).as("the client's key is not forwarded").isFalse();
    }

    @Test
    void aForgedIdentityFromTheClientIsReplaced() {
        TestKey key = activeKey("chat");

        HttpResponse<String> response = get("/api/v1/accounts/me", "Authorization", key.bearer(),
                IdentityTokens.HEADER, TestIdentities.token("someone-else", CallerIdentity.ADMIN));

        JsonNode identities = body(response).path("headers").path("x-platform-identity");
        assertThat(identities.size()).isEqualTo(1);
        assertThat(TestIdentities.verifyAs("billing-service", identities.get(0).asString()).orElseThrow().accountId())
                .isEqualTo(key.accountId());
    }

    @Test
    void aClientRequestIdNeverBecomesTheBillableRequestIdButTravelsBesideIt() {
        TestKey key = activeKey("chat");

        HttpResponse<String> first = get("/api/v1/usage/me", "Authorization", key.bearer(),
                "X-Request-Id", "client-trace-0001");
        HttpResponse<String> second = get("/api/v1/usage/me", "Authorization", key.bearer(),
                "X-Request-Id", "client-trace-0001");

        String firstId = forwarded(body(first), "x-request-id");
        assertThat(firstId).startsWith("req_").isNotEqualTo(forwarded(body(second), "x-request-id"));
        assertThat(first.headers().allValues("X-Request-Id")).containsExactly(firstId);
        assertThat(forwarded(body(first), "x-client-request-id")).isEqualTo("client-trace-0001");
    }

    @Test
    void aMissingKeyIsRefused() {
        assertUnauthorized(get("/v1/models"), "missing_api_key");
    }

    @Test
    void anAuthorizationHeaderThatIsNotBearerIsRefused() {
        assertUnauthorized(get("/v1/models", "Authorization", "Basic dXNlcjpwYXNz"), "invalid_authorization_header");
        assertUnauthorized(get("/v1/models", "Authorization", "Bearer"), "invalid_authorization_header");
    }

    @Test
    void anUnknownKeyIsRefused() {
        assertUnauthorized(get("/v1/models", "Authorization", "Bearer sk-cp-nobody-has-this-key"), "invalid_api_key");
    }

    @Test
    void aRevokedKeyIsRefusedWithinASecond() {
        TestKey key = activeKey("chat");

        publish(key.state(2, "revoked"));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", key.bearer()).statusCode() == 401);
        assertUnauthorized(get("/v1/models", "Authorization", key.bearer()), "invalid_api_key");
    }

    @Test
    void theBootstrapAdminKeyAuthenticatesAsThePlatformAdmin() {
        HttpResponse<String> response = get("/api/v1/admin/accounts", "Authorization", "Bearer " + ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        CallerIdentity identity = TestIdentities.verifyAs("billing-service", forwarded(body(response), "x-platform-identity"))
                .orElseThrow();
        assertThat(identity).isEqualTo(new CallerIdentity("platform-admin", "admin", Set.of("admin"), "gateway"));
    }

    @Test
    void unreadableRecordsAreSkippedAndLaterKeysStillArrive() {
        KafkaProbe.send(new ProducerRecord<>(ApiKeyChanged.TYPE.topic(), "key_garbage", "{not json"));

        TestKey key = activeKey("chat");

        assertThat(get("/v1/models", "Authorization", key.bearer()).statusCode()).isEqualTo(200);
    }

    private void assertUnauthorized(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = body(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("authentication_error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    private static String forwarded(JsonNode echoed, String header) {
        JsonNode values = echoed.path("headers").path(header);
        assertThat(values.size()).as("forwarded " + header).isEqualTo(1);
        return values.get(0).asString();
    }
}

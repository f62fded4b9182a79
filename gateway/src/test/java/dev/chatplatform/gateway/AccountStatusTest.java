package dev.chatplatform.gateway;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.testkit.KafkaProbe;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Credentials of accounts that accounts.v1 says are suspended or deleted are refused, API keys and OIDC tokens alike. */
class AccountStatusTest extends GatewayIntegrationTest {

    @Autowired
    HealthEndpointGroups healthGroups;

    @Test
    void readinessWaitsForTheAccountViewToo() {
        assertThat(healthGroups.get("readiness").isMember("accountView")).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    @Test
    void aSuspendedAccountsKeysAreRefusedWithinASecondAndReactivationRestoresThem() {
        TestKey key = activeKey("chat");
        publish(account(key.accountId(), "active", 1));

        publish(account(key.accountId(), "suspended", 2));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", key.bearer()).statusCode() == 403);
        HttpResponse<String> refused = get("/v1/models", "Authorization", key.bearer());
        assertForbidden(refused, "account_suspended");
        assertThat(body(refused).path("error").path("message").asString()).contains(key.accountId(), "suspended");
        assertForbidden(post("/v1/chat/completions", key.bearer()), "account_suspended");

        publish(account(key.accountId(), "active", 3));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", key.bearer()).statusCode() == 200);
    }

    @Test
    void aDeletedAccountIsRefusedEvenBeforeItsKeysRevocationArrives() {
        TestKey key = activeKey("chat");

        publish(account(key.accountId(), "deleted", 2));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", key.bearer()).statusCode() == 403);
        assertForbidden(get("/v1/models", "Authorization", key.bearer()), "account_deleted");
    }

    @Test
    void aTombstoneOnAccountsRefusesTheAccountAsDeleted() {
        TestKey key = activeKey("chat");
        publish(account(key.accountId(), "active", 1));

        KafkaProbe.send(new ProducerRecord<>(AccountChanged.TYPE.topic(), key.accountId(), null));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", key.bearer()).statusCode() == 403);
        assertForbidden(get("/v1/models", "Authorization", key.bearer()), "account_deleted");
    }

    @Test
    void otherAccountsAndTheBootstrapAdminAreUnaffected() {
        TestKey suspended = activeKey("chat");
        TestKey other = activeKey("chat");
        publish(account(suspended.accountId(), "suspended", 2));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", suspended.bearer()).statusCode() == 403);

        assertThat(get("/v1/models", "Authorization", other.bearer()).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/admin/accounts", "Authorization", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void anOidcTokenOfASuspendedAccountIsRefusedEvenWhileItsLinkIsStillActive() {
        String subject = "user-" + UUID.randomUUID();
        String accountId = UUID.randomUUID().toString();
        publish(new OidcSubjectChanged(subject, accountId, "active", 1, Instant.now()));
        String token = OIDC.token(subject);
        await().until(() -> get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 200);

        publish(account(accountId, "suspended", 2));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 403);
        assertForbidden(get("/v1/models", "Authorization", "Bearer " + token), "account_suspended");

        publish(account(accountId, "active", 3));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 200);
    }

    @Test
    void aDisabledSignInNamesWhyAndMaySignUpAgainOnlyWhenItsAccountIsDeleted() {
        String suspendedSubject = "user-" + UUID.randomUUID();
        String suspendedAccount = UUID.randomUUID().toString();
        String deletedSubject = "user-" + UUID.randomUUID();
        String deletedAccount = UUID.randomUUID().toString();
        publish(account(suspendedAccount, "suspended", 2));
        publish(account(deletedAccount, "deleted", 2));
        publish(new OidcSubjectChanged(suspendedSubject, suspendedAccount, "disabled", 2, Instant.now()));
        publish(new OidcSubjectChanged(deletedSubject, deletedAccount, "disabled", 2, Instant.now()));
        String suspendedToken = "Bearer " + OIDC.token(suspendedSubject);
        String deletedToken = "Bearer " + OIDC.token(deletedSubject);
        await().until(() -> errorCode(get("/v1/models", "Authorization", deletedToken)).equals("account_deleted"));
        await().until(() -> errorCode(get("/v1/models", "Authorization", suspendedToken)).equals("account_suspended"));

        assertForbidden(post("/api/v1/accounts", suspendedToken), "account_suspended");
        HttpResponse<String> signUp = post("/api/v1/accounts", deletedToken);
        assertThat(signUp.statusCode()).isEqualTo(200);
        assertThat(body(signUp).path("service").asString()).isEqualTo("billing");
    }

    private HttpResponse<String> post(String path, String authorization) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json").header("Authorization", authorization).build());
    }

    private String errorCode(HttpResponse<String> response) {
        return body(response).path("error").path("code").asString("");
    }

    private void assertForbidden(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = body(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("permission_error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.has("param")).isTrue();
    }
}

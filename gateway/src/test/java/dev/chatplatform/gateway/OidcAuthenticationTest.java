package dev.chatplatform.gateway;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.testkit.KafkaProbe;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OidcAuthenticationTest extends GatewayIntegrationTest {

    private static final String EMAIL_HEADER = "X-Platform-Oidc-Email";

    @Autowired
    IdentityTokens tokens;

    @Autowired
    HealthEndpointGroups healthGroups;

    @Test
    void readinessWaitsForTheSubjectViewToo() {
        assertThat(healthGroups.get("readiness").isMember("oidcSubjectView")).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    @Test
    void aLinkedSubjectIsForwardedAsItsAccountWithTheChatAndAccountScopes() {
        Linked user = linkedSubject();

        HttpResponse<String> response = get("/api/v1/accounts/me", "Authorization", "Bearer " + OIDC.token(user.subject()));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echoed = body(response);
        assertThat(echoed.path("service").asString()).isEqualTo("billing");
        assertThat(identity(echoed)).isEqualTo(new CallerIdentity(user.accountId(), null, Set.of("chat", "account")));
        assertThat(echoed.path("headers").has("authorization")).as("the token is not forwarded").isFalse();
        assertThat(echoed.path("headers").has("x-platform-oidc-email")).isFalse();
    }

    @Test
    void anEs256TokenIsAcceptedToo() {
        Linked user = linkedSubject();
        String token = OIDC.sign(OIDC.ec, JWSAlgorithm.ES256, OIDC.ec.getKeyID(), user.subject(), c -> { });

        HttpResponse<String> response = get("/v1/models", "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(identity(body(response)).accountId()).isEqualTo(user.accountId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "wrong issuer", "wrong audience", "no expiry", "bad signature", "unknown kid",
            "HMAC-signed", "not yet valid", "garbled"})
    void aTokenThatDoesNotVerifyIsRefused(String flaw) {
        Linked user = linkedSubject();
        String token = switch (flaw) {
            case "expired" -> OIDC.token(user.subject(), c -> c.expirationTime(ago(Duration.ofMinutes(2))));
            case "wrong issuer" -> OIDC.token(user.subject(), c -> c.issuer("https://evil.example.com/realms/test"));
            case "wrong audience" -> OIDC.token(user.subject(), c -> c.audience("another-app"));
            case "no expiry" -> OIDC.token(user.subject(), c -> c.expirationTime(null));
            case "bad signature" -> OIDC.sign(OidcStub.generateRsa("x"), JWSAlgorithm.RS256, OIDC.rsa.getKeyID(),
                    user.subject(), c -> { });
            case "unknown kid" -> OIDC.sign(OidcStub.generateRsa("never-published"), JWSAlgorithm.RS256,
                    "never-published", user.subject(), c -> { });
            case "HMAC-signed" -> hmacSigned(user.subject());
            case "not yet valid" -> OIDC.token(user.subject(), c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600))));
            case "garbled" -> OIDC.token(user.subject()).replaceFirst("\\.[A-Za-z0-9_-]{4}", ".AAAA");
            default -> throw new IllegalArgumentException(flaw);
        };

        HttpResponse<String> response = get("/v1/models", "Authorization", "Bearer " + token);

        assertThat(response.statusCode()).as(flaw).isEqualTo(401);
        JsonNode error = body(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("authentication_error");
        assertThat(error.path("code").asString()).isEqualTo("invalid_token");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        if (flaw.equals("expired")) {
            assertThat(error.path("message").asString()).contains("expired");
        }
    }

    @Test
    void aKeyAddedToTheJwksLaterIsFetchedWhenATokenNamesIt() {
        Linked user = linkedSubject();
        RSAKey rotated = OidcStub.generateRsa("rsa-rotated-" + UUID.randomUUID());
        String token = OIDC.sign(rotated, JWSAlgorithm.RS256, rotated.getKeyID(), user.subject(), c -> { });
        assertThat(get("/v1/models", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);

        OIDC.publish(rotated);

        await().atMost(Duration.ofSeconds(2))
                .until(() -> get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 200);
    }

    @Test
    void anUnlinkedSubjectMaySignUpAsItsOidcIdentityWithItsVerifiedEmail() {
        String subject = "new-user-" + UUID.randomUUID();
        String token = OIDC.token(subject, c -> c.claim("email", "ada@example.com").claim("email_verified", true));

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/accounts"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .header(EMAIL_HEADER, "someone-else@example.com").build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echoed = body(response);
        assertThat(echoed.path("path").asString()).isEqualTo("/api/v1/accounts");
        assertThat(identity(echoed)).isEqualTo(new CallerIdentity("oidc:" + subject, null, Set.of()));
        assertThat(echoed.path("headers").path("x-platform-oidc-email").size()).isEqualTo(1);
        assertThat(echoed.path("headers").path("x-platform-oidc-email").get(0).asString()).isEqualTo("ada@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unverified", "absent"})
    void anEmailTheTokenDoesNotVouchForIsNeverPassedOn(String verification) {
        String subject = "new-user-" + UUID.randomUUID();
        Consumer<JWTClaimsSet.Builder> claims = verification.equals("unverified")
                ? c -> c.claim("email", "ada@example.com").claim("email_verified", false)
                : c -> c.claim("email", "ada@example.com");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/accounts"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"ada@example.com\"}"))
                .header("Authorization", "Bearer " + OIDC.token(subject, claims))
                .header(EMAIL_HEADER, "ada@example.com").build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("headers").has("x-platform-oidc-email")).isFalse();
    }

    @Test
    void anUnlinkedSubjectIsRefusedEverywhereElse() {
        String token = OIDC.token("new-user-" + UUID.randomUUID());

        assertForbidden(get("/v1/models", "Authorization", "Bearer " + token), "signup_required");
        assertForbidden(get("/api/v1/accounts/me", "Authorization", "Bearer " + token), "signup_required");
    }

    @Test
    void aClientCannotSendAVerifiedEmailWithAnApiKey() {
        TestKey key = activeKey("chat");

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/accounts"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Authorization", key.bearer()).header(EMAIL_HEADER, "ada@example.com").build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("headers").has("x-platform-oidc-email")).isFalse();
    }

    @Test
    void aDisabledLinkIsRefusedWithinASecond() {
        Linked user = linkedSubject();
        String token = OIDC.token(user.subject());

        publish(new OidcSubjectChanged(user.subject(), user.accountId(), "disabled", 2, Instant.now()));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 403);
        assertForbidden(get("/v1/models", "Authorization", "Bearer " + token), "account_disabled");
    }

    @Test
    void aTombstoneUnlinksTheSubjectWithinASecond() {
        Linked user = linkedSubject();
        String token = OIDC.token(user.subject());

        KafkaProbe.send(new ProducerRecord<>(OidcSubjectChanged.TYPE.topic(), user.subject(), null));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 403);
        assertForbidden(get("/v1/models", "Authorization", "Bearer " + token), "signup_required");
    }

    private Linked linkedSubject() {
        Linked user = new Linked("user-" + UUID.randomUUID(), UUID.randomUUID().toString());
        publish(new OidcSubjectChanged(user.subject(), user.accountId(), "active", 1, Instant.now()));
        String token = OIDC.token(user.subject());
        await().until(() -> get("/v1/models", "Authorization", "Bearer " + token).statusCode() == 200);
        return user;
    }

    private record Linked(String subject, String accountId) {
    }

    private CallerIdentity identity(JsonNode echoed) {
        JsonNode values = echoed.path("headers").path("x-platform-identity");
        assertThat(values.size()).isEqualTo(1);
        return tokens.verify(values.get(0).asString()).orElseThrow();
    }

    private void assertForbidden(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = body(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("permission_error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(error.path("message").asString()).contains("POST /api/v1/accounts");
    }

    private static Date ago(Duration duration) {
        return Date.from(Instant.now().minus(duration));
    }

    /** An HS256 token keyed with the issuer's public modulus: the classic algorithm-confusion attack. */
    private static String hmacSigned(String subject) {
        try {
            var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.HS256)
                    .keyID(OIDC.rsa.getKeyID()).build(),
                    new JWTClaimsSet.Builder().issuer(OIDC.issuer()).audience(OidcStub.AUDIENCE).subject(subject)
                            .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
            jwt.sign(new com.nimbusds.jose.crypto.MACSigner(
                    OIDC.rsa.toPublicJWK().getModulus().decode().length >= 32
                            ? OIDC.rsa.toPublicJWK().getModulus().decode() : new byte[32]));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}

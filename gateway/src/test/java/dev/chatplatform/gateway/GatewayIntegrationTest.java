package dev.chatplatform.gateway;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.usage.QuotaChanged;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The gateway on a random port in front of {@link StubServices}, reading API keys, OIDC subjects and quota states
 * from the shared embedded Kafka, trusting the {@link OidcStub} issuer, with its rate-limit buckets in
 * {@link TestRedis}. Subclasses share one Spring context.
 */
@PlatformIntegrationTest
@TestPropertySource(properties = {"gateway.admin-api-key=" + GatewayIntegrationTest.ADMIN_KEY,
        "gateway.cors.allowed-origins=" + GatewayIntegrationTest.APP_ORIGIN + ",http://localhost:[*]"})
abstract class GatewayIntegrationTest {

    static final String ADMIN_KEY = "sk-cp-bootstrap-admin-key-for-tests";
    /** An origin on the CORS allow-list, as are pages served from {@code http://localhost} on any port. */
    static final String APP_ORIGIN = "https://app.example.test";
    static final StubServices STUBS = StubServices.get();
    static final OidcStub OIDC = OidcStub.get();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        for (String name : StubServices.NAMES) {
            registry.add(name.toUpperCase() + "_SERVICE_URL", () -> STUBS.url(name));
        }
        registry.add("ANALYTICS_SERVICE_URL", STUBS::downUrl);
        registry.add("OIDC_ISSUER_URI", OIDC::issuer);
        registry.add("OIDC_AUDIENCE", () -> OidcStub.AUDIENCE);
        // tests rotate keys and send unknown key ids back to back
        registry.add("gateway.oidc.jwks-refresh-min-interval", () -> "10ms");
        // rate-limit buckets in a real Redis, shared with the second replica of SharedRedisRateLimitTest; generous
        // timeout: a slow shared CI machine must not push a decision into the in-memory fallback
        registry.add("REDIS_URL", TestRedis::url);
        registry.add("gateway.rate-limits.redis-timeout", () -> "3s");
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    /** Publishes a key's state as billing-service's outbox would, CloudEvents headers included. */
    void publish(ApiKeyChanged key) {
        publish(ApiKeyChanged.TYPE, key.keyId(), key.keyId() + ":" + key.version(), key.accountId(), key);
    }

    /** Publishes an account's state as billing-service's outbox would, CloudEvents headers included. */
    void publish(AccountChanged account) {
        publish(AccountChanged.TYPE, account.accountId(), account.accountId() + ":v" + account.version(),
                account.accountId(), account);
    }

    /** An accounts.v1 state with this status (the other fields do not matter to the gateway). */
    static AccountChanged account(String accountId, String status, long version) {
        return new AccountChanged(accountId, accountId + "@example.com", "Test", "free", status, version, Instant.now());
    }

    /** Publishes a subject's link as billing-service's outbox would, CloudEvents headers included. */
    void publish(OidcSubjectChanged link) {
        publish(OidcSubjectChanged.TYPE, link.subject(), link.subject() + ":v" + link.version(), link.accountId(), link);
    }

    /** Publishes an account's quota state as usage-service's outbox would, CloudEvents headers included. */
    void publish(QuotaChanged quota) {
        publish(QuotaChanged.TYPE, quota.accountId(), quota.accountId() + ":v" + quota.version(), quota.accountId(),
                quota);
    }

    /** A quota.v1 state with these per-minute limits (the other fields do not matter to the gateway). */
    static QuotaChanged quota(String accountId, String tier, long requestsPerMinute, long tokensPerMinute,
                              long version) {
        return new QuotaChanged(accountId, tier, "ok", requestsPerMinute, tokensPerMinute, List.of("*"), List.of(),
                version, Instant.now());
    }

    private <T extends Record> void publish(EventType<T> type, String key, String cause, String subject, T data) {
        var record = new ProducerRecord<String, String>(type.topic(), key, json.writeValueAsString(data));
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, EventIds.of(type, cause));
        header(record, CloudEventHeaders.TYPE, type.name());
        // the topic's producer: the gateway's followers skip events from any other source
        header(record, CloudEventHeaders.SOURCE, EventCatalog.topic(type.topic()).orElseThrow().producer());
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(record, CloudEventHeaders.SUBJECT, subject);
        KafkaProbe.send(record);
    }

    /** A fresh active key, published and already accepted by the gateway; returns its secret. */
    TestKey activeKey(String... scopes) {
        String secret = "sk-cp-" + UUID.randomUUID().toString().replace("-", "");
        String keyId = "key_" + UUID.randomUUID().toString().substring(0, 8);
        String accountId = "acc_" + UUID.randomUUID().toString().substring(0, 8);
        TestKey key = new TestKey(secret, keyId, accountId, List.of(scopes));
        publish(key.state(1, "active"));
        await().until(() -> get("/api/v1/accounts/me", "Authorization", "Bearer " + secret).statusCode() == 200);
        return key;
    }

    record TestKey(String secret, String keyId, String accountId, List<String> scopes) {

        ApiKeyChanged state(long version, String status) {
            return new ApiKeyChanged(keyId, accountId, sha256Hex(secret), secret.substring(0, 10), "test key", scopes,
                    status, version, Instant.parse("2026-01-01T00:00:00Z"),
                    status.equals("revoked") ? Instant.now() : null);
        }

        String bearer() {
            return "Bearer " + secret;
        }
    }

    static String sha256Hex(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

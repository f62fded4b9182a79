package dev.chatplatform.launcher;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Creates the demo account and its API key through the gateway with the bootstrap admin key, the same
 * path any admin would take. Idempotent: the account is found by e-mail, and the key (shown only once by
 * billing-service) is kept in the data folder and reused while the gateway still accepts it.
 */
final class DemoAccount {

    static final String EMAIL = "demo@localhost";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DemoAccount() {
    }

    /** Returns a working API key for the demo account. */
    static String ensure(String gatewayUrl, String adminKey, Path dataDir) {
        JsonNode account = call(gatewayUrl + "/api/v1/admin/accounts", adminKey,
                Map.of("email", EMAIL, "name", "Demo account", "tier", "free"));
        String accountId = account.get("id").asString();
        Path keyFile = dataDir.resolve("demo-api-key");
        try {
            if (Files.exists(keyFile)) {
                String saved = Files.readString(keyFile).trim();
                if (awaitAccepted(gatewayUrl, saved, Duration.ofSeconds(15))) {
                    return saved;
                }
            }
            JsonNode created = call(gatewayUrl + "/api/v1/admin/accounts/" + accountId + "/api-keys", adminKey,
                    Map.of("name", "demo", "scopes", new String[]{"chat", "account"}));
            String key = created.get("key").asString();
            Files.writeString(keyFile, key + "\n");
            if (!awaitAccepted(gatewayUrl, key, Duration.ofSeconds(30))) {
                throw new IllegalStateException("the gateway did not accept the new demo key within 30 s");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True once the gateway authenticates {@code key} (its view of api-keys.v1 has caught up). */
    static boolean awaitAccepted(String gatewayUrl, String key, Duration within) {
        Instant deadline = Instant.now().plus(within);
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/models"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
                Thread.sleep(200);
            } catch (IOException e) {
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * Replaces the free tier's limits (the demo account's tier) through usage-service's admin API and waits
     * until the demo account's quota shows them: for tests and benchmarks that send more than a free
     * account may.
     */
    static void setFreeTierLimits(String gatewayUrl, String adminKey, String demoKey, Map<String, Object> limits) {
        call(gatewayUrl + "/api/v1/usage/admin/tiers/free", adminKey, limits, "PUT");
        long rpm = ((Number) limits.get("requestsPerMinute")).longValue();
        Instant deadline = Instant.now().plusSeconds(30);
        HttpRequest me = HttpRequest.newBuilder(URI.create(gatewayUrl + "/api/v1/usage/me"))
                .header("Authorization", "Bearer " + demoKey).timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = HTTP.send(me, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200
                        && JSON.readTree(response.body()).path("quota").path("requestsPerMinute").asLong() == rpm) {
                    pause(); // the gateway's view of quota.v1 follows the same event
                    pause();
                    return;
                }
            } catch (IOException e) {
                // try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause();
        }
        throw new IllegalStateException("the demo account's quota did not show the new free-tier limits within 30 s");
    }

    private static JsonNode call(String url, String adminKey, Object body) {
        return call(url, adminKey, body, "POST");
    }

    private static JsonNode call(String url, String adminKey, Object body, String method) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return JSON.readTree(response.body());
                }
                // 401 while the gateway's view of the admin key is warming up, 5xx while a backend starts
                if (Instant.now().isAfter(deadline) || response.statusCode() / 100 == 4 && response.statusCode() != 401) {
                    throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
                }
                Thread.sleep(300);
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new UncheckedIOException(method + " " + url + " failed", e);
                }
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

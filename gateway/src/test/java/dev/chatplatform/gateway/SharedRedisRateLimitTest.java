package dev.chatplatform.gateway;

import dev.chatplatform.gateway.apikey.ApiKeyView;
import dev.chatplatform.gateway.quota.QuotaView;
import dev.chatplatform.gateway.ratelimit.Demand;
import dev.chatplatform.gateway.ratelimit.LocalRateLimiter;
import dev.chatplatform.gateway.ratelimit.RateLimiter;
import dev.chatplatform.gateway.ratelimit.RedisRateLimiter;
import dev.chatplatform.gateway.ratelimit.Verdict;
import dev.chatplatform.testkit.PlatformTestInitializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proof that replicas share one limit: the shared test gateway and a second gateway application (its own
 * Spring context, port and Kafka followers) in this JVM, both with their buckets in one real Redis server.
 */
class SharedRedisRateLimitTest extends GatewayIntegrationTest {

    private static ConfigurableApplicationContext secondReplica;

    @Autowired
    ApplicationContext firstReplica;

    @BeforeEach
    void startSecondReplica() {
        if (secondReplica == null) {
            List<String> args = new ArrayList<>(List.of("--server.port=0", "--REDIS_URL=" + TestRedis.url(),
                    "--gateway.admin-api-key=" + ADMIN_KEY, "--spring.main.banner-mode=off",
                    "--gateway.rate-limits.redis-timeout=3s"));
            for (String name : StubServices.NAMES) {
                args.add("--" + name.toUpperCase() + "_SERVICE_URL=" + STUBS.url(name));
            }
            secondReplica = new SpringApplicationBuilder(GatewayApplication.class, OwnNettyResources.class)
                    .initializers(new PlatformTestInitializer())
                    .run(args.toArray(String[]::new));
        }
        for (ApplicationContext replica : List.of(firstReplica, secondReplica)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ((RedisRateLimiter) replica.getBean(RateLimiter.class)).connected());
        }
    }

    /**
     * A source of the second replica only (not a {@code @Configuration}, so neither component scanning nor this
     * test's own context picks it up): Netty event loops of its own, so that closing it does not shut down the
     * JVM-wide ones the shared test context still uses.
     */
    static class OwnNettyResources {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    @AfterAll
    static void stopSecondReplica() {
        if (secondReplica != null) {
            secondReplica.close();
            secondReplica = null;
        }
    }

    @Test
    void twoGatewaysSharingRedisEnforceOneLimitNotTwo() {
        TestKey key = keyOnBothReplicas(6);

        int served = 0;
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = send(request(i % 2, key));
            if (response.statusCode() == 200) {
                served++;
                assertThat(response.headers().firstValue("X-RateLimit-Remaining"))
                        .as("each replica sees the other's requests").hasValue(Integer.toString(6 - served));
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
            }
        }

        assertThat(served).isEqualTo(6);
    }

    @Test
    void concurrentRequestsSpreadOverBothGatewaysGetExactlyTheLimit() {
        TestKey key = keyOnBothReplicas(10);

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(http.sendAsync(request(i % 2, key), HttpResponse.BodyHandlers.ofString()));
        }
        long served = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();

        assertThat(served).isEqualTo(10);
    }

    @Test
    void whenRedisCannotBeReachedAReplicaStillLimitsInMemory() {
        RedisRateLimiter limiter = new RedisRateLimiter("redis://localhost:" + TestRedis.freePort(),
                Duration.ofMillis(200), new LocalRateLimiter(System::currentTimeMillis), new SimpleMeterRegistry());
        try {
            List<Demand> demand = List.of(new Demand("k", 2, 1));

            assertThat(limiter.acquire(demand).map(Verdict::allowed).block()).isTrue();
            assertThat(limiter.acquire(demand).map(Verdict::allowed).block()).isTrue();
            assertThat(limiter.acquire(demand).map(Verdict::allowed).block()).isFalse();
            assertThat(limiter.connected()).isFalse();
        } finally {
            limiter.destroy();
        }
    }

    /** A new key on a new account whose quota state both replicas already hold. */
    private TestKey keyOnBothReplicas(long requestsPerMinute) {
        String accountId = "acc_" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "sk-cp-" + UUID.randomUUID().toString().replace("-", "");
        TestKey key = new TestKey(secret, "key_" + UUID.randomUUID().toString().substring(0, 8), accountId,
                List.of("chat"));
        publish(quota(accountId, "free", requestsPerMinute, 20_000, 1));
        publish(key.state(1, "active"));
        for (ApplicationContext replica : List.of(firstReplica, secondReplica)) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    replica.getBean(QuotaView.class).find(accountId).isPresent()
                            && replica.getBean(ApiKeyView.class).findActive(sha256Hex(secret)).isPresent());
        }
        return key;
    }

    private HttpRequest request(int replica, TestKey key) {
        String replicaPort = replica == 0 ? Integer.toString(port)
                : secondReplica.getEnvironment().getProperty("local.server.port");
        return HttpRequest.newBuilder(URI.create("http://localhost:" + replicaPort + "/v1/chat/completions"))
                .header("Authorization", key.bearer()).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"sim-1\",\"max_tokens\":10,\"messages\":[]}")).build();
    }
}

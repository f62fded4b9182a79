package dev.chatplatform.chat.budget;

import com.sun.net.httpserver.HttpServer;
import dev.chatplatform.chat.context.ModelFacts;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.testkit.TestIdentities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guard against a real HTTP usage-service stand-in that answers holds with the account's tier (accounts
 * {@code acc-<tier>-...}) until it is stopped: prices sent, and fail closed or open per tier once it is gone.
 */
class BudgetGuardTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, JsonNode> received = new ConcurrentHashMap<>();
    private HttpServer usage;

    @AfterEach
    void stop() {
        if (usage != null) {
            usage.stop(0);
        }
    }

    @Test
    void holdsAtTheReportedPriceElseAtTheConfiguredDefault() throws IOException {
        BudgetGuard guard = guard(Set.of());
        hold(guard, "acc-free-1", "sim-1", new ModelFacts.Price(500_000, 1_500_000), "req-00000001");
        hold(guard, "acc-free-1", "auto", null, "req-00000002");

        assertThat(received.get("req-00000001").path("inputPriceMicroUsdPerMillion").asLong()).isEqualTo(500_000);
        assertThat(received.get("req-00000001").path("outputPriceMicroUsdPerMillion").asLong()).isEqualTo(1_500_000);
        assertThat(received.get("req-00000002").path("inputPriceMicroUsdPerMillion").asLong()).isEqualTo(3_000_000);
        assertThat(received.get("req-00000002").path("outputPriceMicroUsdPerMillion").asLong()).isEqualTo(15_000_000);
    }

    @Test
    void whenUsageServiceIsGoneOnlyTheTiersConfiguredToFailOpenAreServed() throws IOException {
        BudgetGuard guard = guard(Set.of("enterprise"));
        hold(guard, "acc-enterprise-1", "sim-1", null, "req-00000001");
        hold(guard, "acc-free-1", "sim-1", null, "req-00000002");
        usage.stop(0);

        Hold served = hold(guard, "acc-enterprise-1", "sim-1", null, "req-00000003");
        assertThat(served.placed()).isFalse();
        assertThat(served.streamLimit()).isEqualTo(Long.MAX_VALUE);
        assertThat(served.limitsAnswer()).isFalse();
        assertRefusedWith503(() -> hold(guard, "acc-free-1", "sim-1", null, "req-00000004"));
        assertRefusedWith503(() -> hold(guard, "acc-never-seen", "sim-1", null, "req-00000005"));
    }

    @Test
    void failsClosedForEveryTierByDefaultAndOpenForEveryTierWithAStar() throws IOException {
        BudgetGuard closed = guard(Set.of());
        hold(closed, "acc-enterprise-1", "sim-1", null, "req-00000001");
        BudgetGuard open = guard(Set.of("*"));
        usage.stop(0);

        assertRefusedWith503(() -> hold(closed, "acc-enterprise-1", "sim-1", null, "req-00000002"));
        assertThat(hold(open, "acc-never-seen", "sim-1", null, "req-00000003").placed()).isFalse();
    }

    @Test
    void theWorstCaseAnswerIsTheRequestsElseTheModelsElseTheDefault() throws IOException {
        BudgetGuard guard = guard(Set.of());
        assertThat(guard.worstCaseOutput(50L, 999)).isEqualTo(50);
        assertThat(guard.worstCaseOutput(null, 999)).isEqualTo(999);
        assertThat(guard.worstCaseOutput(null, null)).isEqualTo(1000);
    }

    /** A hold of 10 prompt tokens and at most 100 output tokens for the account's chat key. */
    private static Hold hold(BudgetGuard guard, String account, String model, ModelFacts.Price price, String requestId) {
        return guard.hold(new CallerIdentity(account, "k_test", Set.of("chat")), model, price, 10, 100, false, requestId);
    }

    private static void assertRefusedWith503(Runnable hold) {
        assertThatThrownBy(hold::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(503);
            assertThat(e.toError().error().code()).isEqualTo("budget_service_unavailable");
        });
    }

    private BudgetGuard guard(Set<String> failOpenTiers) throws IOException {
        if (usage == null) {
            usage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            usage.createContext("/api/v1/holds", exchange -> {
                JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
                String requestId = body.path("requestId").asString();
                received.put(requestId, body);
                String account = TestIdentities.verifyAs("usage-service",
                        exchange.getRequestHeaders().getFirst("X-Platform-Identity")).orElseThrow().accountId();
                byte[] answer = """
                        {"holdId":"hold_%s","requestId":"%s","model":"sim-1","status":"held","grantedMaxTokens":100,\
                        "heldTokens":110,"heldCostMicroUsd":1,"tier":"%s","expiresAt":"2026-01-01T00:10:00Z"}"""
                        .formatted(requestId, requestId, account.split("-")[1])
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(201, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            usage.start();
        }
        BudgetProperties properties = new BudgetProperties(URI.create("http://127.0.0.1:" + usage.getAddress().getPort()),
                Duration.ofMillis(500), Duration.ofSeconds(1), failOpenTiers, 1000,
                new BudgetProperties.ModelPrice(3_000_000, 15_000_000), 100, LeaseBookTest.leasesOff());
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        UsageClient client = new UsageClient(properties, new IdentityTokens(TestIdentities.SECRET, Duration.ofSeconds(30),
                Clock.systemUTC(), "chat-service"), beans.getBeanProvider(Tracer.class), beans.getBeanProvider(Propagator.class));
        return new BudgetGuard(client, new LeaseBook(client, properties, json), properties, json,
                new SimpleMeterRegistry());
    }
}

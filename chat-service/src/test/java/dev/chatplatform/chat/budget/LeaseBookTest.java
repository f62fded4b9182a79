package dev.chatplatform.chat.budget;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chatplatform.chat.context.ModelFacts;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
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
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * chat-service's side of budget leases against an HTTP stand-in of usage-service's lease and hold API (usage-service's
 * own side, on real Kafka and PostgreSQL, is proven by its {@code LeasesTest}; the two together by the request-path
 * benchmark's exactly-once check): draws in memory, never more than the lease, exact holds otherwise, and the
 * lease given back with exactly what its requests consumed.
 */
class LeaseBookTest {

    private static final ModelFacts.Price PRICE = new ModelFacts.Price(1_000_000, 1_000_000); // 1 micro-USD a token
    private static final long PROMPT = 100;
    private static final long MAX = 900;

    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicInteger holds = new AtomicInteger();
    private final AtomicInteger leases = new AtomicInteger();
    private final Map<String, String> status = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> returned = new ConcurrentHashMap<>();
    private volatile boolean grant = true;
    private volatile long leaseMessages = 20;
    private volatile List<String> models = List.of("*");
    private HttpServer usage;
    private LeaseBook book;

    static BudgetProperties.Lease leasesOff() {
        return new BudgetProperties.Lease(false, "", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofMinutes(10));
    }

    @AfterEach
    void stop() {
        if (book != null) {
            book.close();
            usage.stop(0);
        }
    }

    @Test
    void theFirstRequestWaitsForTheAccountsLeaseAndTheNextOnesDrawFromItInMemory() throws IOException {
        BudgetGuard guard = guard();
        for (int i = 0; i < 5; i++) {
            Hold drawn = hold(guard, "acc-1", "sim-1", "req-d" + i);
            assertThat(drawn.draw()).isNotNull();
            assertThat(drawn.holdId()).isEqualTo("lease_1");
            assertThat(drawn.grantedMaxTokens()).isEqualTo(MAX);
            assertThat(drawn.limitsAnswer()).isFalse();
        }
        assertThat(leases.get()).isEqualTo(1);
        assertThat(holds.get()).as("no hold call for a drawn request").isZero();
        models = List.of("sim-1");
        assertThat(hold(guard, "acc-2", "other", "req-x").draw()).as("a model the lease does not allow").isNull();
        assertThat(holds.get()).isEqualTo(1);
    }

    @Test
    void aBurstOfAnAccountsFirstRequestsMakesOneLeaseCallAndNoHold() throws Exception {
        leaseMessages = 1_000;
        BudgetGuard guard = guard();
        int drawn = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Hold>> results = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String requestId = "req-b" + i;
                results.add(pool.submit(() -> hold(guard, "acc-1", "sim-1", requestId)));
            }
            for (Future<Hold> r : results) {
                drawn += r.get().draw() != null ? 1 : 0;
            }
        }
        assertThat(drawn).isEqualTo(500);
        assertThat(leases.get()).isEqualTo(1);
        assertThat(holds.get()).isZero();
    }

    @Test
    void parallelDrawsNeverTakeMoreThanTheLeaseAndItIsGivenBackWithExactlyWhatWasConsumed() throws Exception {
        BudgetGuard guard = guard();
        leaseFor(guard, "acc-1");
        int before = holds.get();
        List<Hold> drawn = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Hold>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String requestId = "req-p" + i;
                results.add(pool.submit(() -> hold(guard, "acc-1", "sim-1", requestId)));
            }
            for (Future<Hold> r : results) {
                Hold h = r.get();
                if (h.draw() != null) {
                    drawn.add(h);
                }
            }
        }
        // the lease holds 20 messages and 20 worst cases, the probe took one: 19 draws, the rest exact holds
        assertThat(drawn).hasSize(19);
        assertThat(holds.get() - before).isEqualTo(64 - 19);
        String held = IntStream.range(0, 64).mapToObj(i -> "req-p" + i)
                .filter(id -> drawn.stream().noneMatch(h -> h.draw().requestId().equals(id))).findFirst().orElseThrow();
        long consumed = 0;
        for (int i = 0; i < drawn.size(); i++) {
            Hold h = drawn.get(i);
            if (i % 4 == 0) {
                guard.release(h, caller("acc-1"), h.draw().requestId()); // nothing consumed: all goes back
            } else {
                assertThat(book.requestEnded(usage("acc-1", h.draw().requestId(), 10 + i)).leaseId())
                        .as("the event of a drawn request names its lease").isEqualTo("lease_1");
                consumed += PROMPT + 10 + i;
            }
        }
        book.requestEnded(usage("acc-1", "req-probe", 0));
        consumed += PROMPT;
        assertThat(book.requestEnded(usage("acc-1", held, 7)).leaseId())
                .as("a request under an exact hold drew from no lease, nor counts in its consumption").isNull();
        book.close();
        JsonNode back = returned.get("lease_1");
        assertThat(back).isNotNull();
        assertThat(back.get("messages").asLong()).isEqualTo(19 - 5 + 1);
        assertThat(back.get("tokens").asLong()).isEqualTo(consumed);
        assertThat(back.get("costMicroUsd").asLong()).isEqualTo(consumed);
    }

    @Test
    void aRevokedLeaseIsDrawnFromNoMoreAndIsGivenBackOnceItsRequestsEnded() throws IOException {
        BudgetGuard guard = guard();
        leaseFor(guard, "acc-1"); // req-probe is running
        status.put("lease_1", "revoked");
        grant = false;
        // a request drawn before the revocation is seen consumed nothing: released at once, so only req-probe runs
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String requestId = "req-" + Instant.now();
            Hold h = hold(guard, "acc-1", "sim-1", requestId);
            if (h.draw() == null) {
                return true;
            }
            guard.release(h, caller("acc-1"), requestId);
            return false;
        });
        assertThat(returned).as("its request still runs").isEmpty();
        book.requestEnded(usage("acc-1", "req-probe", 50));
        await().atMost(Duration.ofSeconds(10)).until(() -> returned.containsKey("lease_1"));
        assertThat(returned.get("lease_1").get("tokens").asLong()).isEqualTo(PROMPT + 50);
    }

    @Test
    void nearALimitEveryRequestTakesAnExactHoldAndTheLeaseIsAskedForAgainOnlyAfterTheRetryDelay() throws IOException {
        grant = false;
        BudgetGuard guard = guard();
        for (int i = 0; i < 20; i++) {
            assertThat(hold(guard, "acc-1", "sim-1", "req-" + i).draw()).isNull();
        }
        assertThat(holds.get()).isEqualTo(20);
        await().atMost(Duration.ofSeconds(10)).until(() -> leases.get() == 1);
        assertThat(leases.get()).isEqualTo(1);
    }

    @Test
    void theWorstCaseCostIsTheHoldsRoundedUp() {
        assertThat(LeaseBook.worstCost(3, 1, new ModelFacts.Price(500_000, 1_500_000))).isEqualTo(3);
        assertThat(LeaseBook.worstCost(3, 1, new ModelFacts.Price(500_000, 1_500_001))).isEqualTo(4);
        assertThat(LeaseBook.worstCost(2, 0, new ModelFacts.Price(500_000, 0))).isEqualTo(1);
        assertThat(LeaseBook.worstCost(Long.MAX_VALUE, Long.MAX_VALUE, new ModelFacts.Price(1L << 40, 1L << 40)))
                .isEqualTo(Long.MAX_VALUE);
    }

    private void leaseFor(BudgetGuard guard, String account) {
        assertThat(hold(guard, account, "sim-1", "req-probe").draw()).isNotNull();
        grant = false; // one lease: what is drawn is from lease_1
    }

    private Hold hold(BudgetGuard guard, String account, String model, String requestId) {
        return guard.hold(caller(account), model, PRICE, PROMPT, MAX, false, requestId);
    }

    private static CallerIdentity caller(String account) {
        return new CallerIdentity(account, "k_test", Set.of("chat"));
    }

    private static UsageRecorded usage(String account, String requestId, long output) {
        return new UsageRecorded(requestId, account, "k_test", "sim-1", "simulated", PROMPT, 0, output, PROMPT + output,
                false, UsageRecorded.Outcome.COMPLETED, false, 10, null, Instant.now());
    }

    private BudgetGuard guard() throws IOException {
        usage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        usage.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        usage.createContext("/api/v1/holds", exchange -> {
            holds.incrementAndGet();
            send(exchange, 201, """
                    {"holdId":"hold_%d","grantedMaxTokens":%d,"tier":"pro"}""".formatted(holds.get(), MAX));
        });
        usage.createContext("/api/v1/leases", this::lease);
        usage.start();
        BudgetProperties properties = new BudgetProperties(URI.create("http://127.0.0.1:" + usage.getAddress().getPort()),
                Duration.ofSeconds(10), Duration.ofSeconds(20), Set.of(), 1000,
                new BudgetProperties.ModelPrice(3_000_000, 15_000_000), 100,
                new BudgetProperties.Lease(true, "chat-test", Duration.ofMillis(100), Duration.ofSeconds(30),
                        Duration.ofSeconds(2), Duration.ofMinutes(10)));
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        UsageClient client = new UsageClient(properties, new IdentityTokens(TestIdentities.SECRET, Duration.ofSeconds(30),
                Clock.systemUTC(), "chat-service"), beans.getBeanProvider(Tracer.class), beans.getBeanProvider(Propagator.class));
        book = new LeaseBook(client, properties, json);
        return new BudgetGuard(client, book, properties, json, new SimpleMeterRegistry());
    }

    private void lease(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (TestIdentities.verifyAs("usage-service", exchange.getRequestHeaders().getFirst("X-Platform-Identity")).isEmpty()) {
            send(exchange, 401, "{}");
        } else if (path.equals("/api/v1/leases")) {
            if (!grant) {
                leases.incrementAndGet();
                send(exchange, 409, "{\"error\":{\"code\":\"lease_not_granted\"}}");
                return;
            }
            String id = "lease_" + leases.incrementAndGet();
            send(exchange, 201, """
                    {"leaseId":"%s","status":"open","tier":"pro","allowedModels":%s,"messages":%d,"tokens":%d,\
                    "costMicroUsd":%d,"expiresAt":"%s"}""".formatted(id, json.writeValueAsString(models), leaseMessages,
                    leaseMessages * (PROMPT + MAX), leaseMessages * (PROMPT + MAX), Instant.now().plusSeconds(60)));
        } else if (path.endsWith("/return")) {
            String id = path.substring("/api/v1/leases/".length(), path.length() - "/return".length());
            returned.put(id, json.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        } else {
            String id = path.substring("/api/v1/leases/".length());
            send(exchange, 200, "{\"leaseId\":\"%s\",\"status\":\"%s\"}".formatted(id, status.getOrDefault(id, "open")));
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

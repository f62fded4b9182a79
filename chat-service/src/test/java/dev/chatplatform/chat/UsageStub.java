package dev.chatplatform.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.testkit.TestIdentities;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Stands in for usage-service's hold API ({@code POST /api/v1/holds}, {@code DELETE /api/v1/holds/{id}}), served
 * like {@link ProviderStub}. Every call must carry an identity token minted for usage-service and still valid (else
 * 401), as usage-service's own edge demands. The account (from the identity token) chooses the behaviour: {@code acc-over-*} is
 * refused with 429 {@code monthly_budget_exceeded}; {@code acc-usage-down*} gets 503; any other is granted its
 * {@code maxTokens}, at most {@link #caps} of the account when set. The hold id is {@code hold_<requestId>}.
 * <p>
 * Budget leases ({@code POST /api/v1/leases}, {@code GET /api/v1/leases/{id}}, {@code POST .../return}): an account
 * whose id contains {@code -leased} gets {@link #LEASE_TOKENS} tokens (any model, tier {@code pro}, limits
 * {@link #LEASE_LIMITS}) for a minute, with id {@code lease_<account>}; any other is refused with 409
 * {@code lease_not_granted} (near a limit), so its requests take exact holds. A lease read back is always
 * {@code open}: only {@code quota.v1} can make chat-service stop drawing from it. An account in {@link #exhausted}
 * has reached its daily messages: holds refused with 429 {@code messages_per_day_exceeded}, leases with 409.
 */
final class UsageStub implements AutoCloseable {

    /** What the stub received for one request id. */
    record Received(String accountId, CallerIdentity caller, String requestIdHeader, JsonNode body) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    final Map<String, Received> holds = new ConcurrentHashMap<>();
    final Set<String> released = ConcurrentHashMap.newKeySet();
    /** Most tokens granted per account. */
    final Map<String, Long> caps = new ConcurrentHashMap<>();
    /** Leases granted, by id. */
    final Set<String> leases = ConcurrentHashMap.newKeySet();
    static final long LEASE_TOKENS = 100_000;
    /** The policy every lease is granted under: the pro tier's maximum of each limit. */
    static final Map<String, Long> LEASE_LIMITS = Map.of("messages_per_day", 10_000L, "tokens_per_month", 10_000_000L,
            "cost_micro_usd_per_month", 1_000_000_000_000L);
    /** Accounts whose daily messages are used up. */
    final Set<String> exhausted = ConcurrentHashMap.newKeySet();

    private UsageStub(HttpServer server) {
        this.server = server;
    }

    static UsageStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            UsageStub stub = new UsageStub(server);
            server.createContext("/api/v1/holds", stub::handle);
            server.createContext("/api/v1/leases", stub::lease);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static String holdIdOf(String requestId) {
        return "hold_" + requestId;
    }

    private void handle(HttpExchange exchange) throws IOException {
        CallerIdentity caller = verified(exchange);
        if (caller == null) {
            return;
        }
        String accountId = caller.accountId();
        if (exchange.getRequestMethod().equals("DELETE")) {
            released.add(exchange.getRequestURI().getPath().substring("/api/v1/holds/".length()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
        String requestId = body.path("requestId").asString();
        holds.put(requestId, new Received(accountId, caller, exchange.getRequestHeaders().getFirst("X-Request-Id"), body));
        if (exhausted.contains(accountId)) {
            send(exchange, 429, """
                    {"error":{"message":"The account has sent all the messages its tier allows today.",\
                    "type":"insufficient_quota","code":"messages_per_day_exceeded","param":null}}""");
        } else if (accountId.startsWith("acc-over-")) {
            send(exchange, 429, """
                    {"error":{"message":"This request does not fit in what is left of the free tier's limits.",\
                    "type":"insufficient_quota","code":"monthly_budget_exceeded","param":null}}""");
        } else if (accountId.startsWith("acc-usage-down")) {
            send(exchange, 503, "{\"error\":{\"message\":\"down\",\"type\":\"server_error\",\"code\":\"unavailable\",\"param\":null}}");
        } else {
            long granted = Math.min(body.path("maxTokens").asLong(4096), caps.getOrDefault(accountId, Long.MAX_VALUE));
            send(exchange, 201, """
                    {"holdId":"%s","requestId":"%s","model":"%s","status":"held","grantedMaxTokens":%d,\
                    "heldTokens":%d,"heldCostMicroUsd":1,"expiresAt":"2026-01-01T00:10:00Z"}"""
                    .formatted(holdIdOf(requestId), requestId, body.path("model").asString(), granted,
                            body.path("promptTokens").asLong() + granted));
        }
    }

    /** The caller of a token minted for usage-service and still valid; else null, answered 401. */
    private static CallerIdentity verified(HttpExchange exchange) throws IOException {
        CallerIdentity caller = TestIdentities.verifyAs("usage-service",
                exchange.getRequestHeaders().getFirst("X-Platform-Identity")).orElse(null);
        if (caller == null) {
            send(exchange, 401, "{\"error\":{\"message\":\"no valid identity\",\"type\":\"authentication_error\",\"code\":\"unauthenticated\",\"param\":null}}");
        }
        return caller;
    }

    static String leaseIdOf(String accountId) {
        return "lease_" + accountId;
    }

    private void lease(HttpExchange exchange) throws IOException {
        CallerIdentity caller = verified(exchange);
        if (caller == null) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/api/v1/leases")) { // read back (still open) or given back
            exchange.getRequestBody().readAllBytes();
            if (path.endsWith("/return")) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            } else {
                send(exchange, 200, "{\"status\":\"open\"}");
            }
            return;
        }
        exchange.getRequestBody().readAllBytes();
        String accountId = caller.accountId();
        if (!accountId.contains("-leased") || exhausted.contains(accountId)) {
            send(exchange, 409, "{\"error\":{\"message\":\"near a limit\",\"type\":\"insufficient_quota\",\"code\":\"lease_not_granted\",\"param\":null}}");
            return;
        }
        leases.add(leaseIdOf(accountId));
        send(exchange, 201, """
                {"leaseId":"%s","status":"open","tier":"pro","allowedModels":["*"],"limits":%s,"messages":100,\
                "tokens":%d,"costMicroUsd":1000000000000,"expiresAt":"%s"}"""
                .formatted(leaseIdOf(accountId), json.writeValueAsString(LEASE_LIMITS), LEASE_TOKENS,
                        java.time.Instant.now().plusSeconds(60)));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

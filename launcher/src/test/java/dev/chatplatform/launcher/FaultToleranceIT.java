package dev.chatplatform.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The money path under faults (issue 13): one platform from the built jars, a steady load of chat requests
 * (streamed and not) and, in turn, SIGKILL of chat-, provider-, usage-, billing- and analytics-service (each
 * restarted on the same port and data), a PostgreSQL restart and a Kafka broker restart. Each fault gets its own
 * account, loaded by two streaming and two non-streaming clients from before the fault until requests are answered
 * again after it.
 *
 * <p>Afterwards, per account, request by request (the gateway's {@code X-Request-Id} is the usage event's
 * {@code requestId}):
 * <ul>
 *   <li>a request answered (200 with its usage: the body's {@code usage}, or a stream's usage chunk and
 *       {@code [DONE]}) is in usage-service's ledger exactly once, with the tokens the client was told and the
 *       price book's cost of them, to the micro-dollar;</li>
 *   <li>a stream cut after the client received content (the model had produced tokens) is billed exactly once,
 *       for at least the tokens the client received (chat-service killed mid-stream: from provider-service's
 *       record when the hold expires);</li>
 *   <li>any other failed request is billed at most once;</li>
 *   <li>the ledger holds nothing else for the account;</li>
 * </ul>
 * and the account's totals agree everywhere: usage-service's API = its ledger rows = billing-service's metering
 * (reconciliation endpoint: events and tokens; the Stripe meter counts tokens, not cost) = analytics (requests,
 * tokens, cost). The table of figures is printed (and copied into the root README, "Fault tests").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** sim-1 in the seeded price book (provider-service V1 migration), micro-USD per million tokens. */
    private static final long INPUT_PRICE = 500_000;
    private static final long CACHED_INPUT_PRICE = 250_000;
    private static final long OUTPUT_PRICE = 1_500_000;
    /**
     * usage-service bills a crashed request when its hold expires: short here so the test need not wait ten
     * minutes, still far longer than any request of this test (at most 80 tokens at 40 tokens/s).
     */
    private static final Duration HOLD_TTL = Duration.ofSeconds(30);

    private static Path data;
    private static LocalPlatform platform;
    private static final Map<String, Phase> phases = new LinkedHashMap<>();
    private static Instant started;

    @BeforeAll
    static void startPlatform() throws Exception {
        started = Instant.now();
        data = Files.createTempDirectory("platform-faults");
        // fixed ports (the broker and the database come back on theirs): services from base, Kafka base + 10 and
        // its controller + 11, PostgreSQL base + 12
        int basePort = Integer.parseInt(System.getProperty("faults.basePort", "18180"));
        LauncherConfig config = new LauncherConfig(Path.of("..").toAbsolutePath().normalize(), data,
                basePort, basePort + 10, basePort + 12,
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Map.of("SIMULATED_FIRST_TOKEN_DELAY", "100ms", "SIMULATED_TOKENS_PER_SECOND", "40",
                        "USAGE_HOLD_TTL", HOLD_TTL.toSeconds() + "s", "USAGE_HOLD_SWEEP_INTERVAL", "1s"),
                Duration.ofMinutes(6));
        platform = LocalPlatform.start(config);
        platform.liftFreeTierLimits();
        for (String fault : List.of("kill -9 chat-service", "kill -9 provider-service", "kill -9 usage-service",
                "kill -9 billing-service", "kill -9 analytics-service", "restart PostgreSQL", "restart Kafka")) {
            phases.put(fault, new Phase(fault, newAccount(fault)));
        }
        System.out.printf("FaultToleranceIT: platform and accounts ready after %d s%n",
                Duration.between(started, Instant.now()).toSeconds());
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
        System.out.printf("FaultToleranceIT: %d s in all%n", Duration.between(started, Instant.now()).toSeconds());
        Path logs = Path.of("target", "fault-tolerance-logs"); // the services' logs, kept for whoever reads a failure
        Files.createDirectories(logs);
        try (var files = Files.list(data.resolve("logs"))) {
            for (Path log : files.toList()) {
                Files.copy(log, logs.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void chatServiceKilled() throws Exception {
        underLoad("kill -9 chat-service", () -> platform.restart(Service.CHAT, true));
    }

    @Test
    @Order(2)
    void providerServiceKilled() throws Exception {
        underLoad("kill -9 provider-service", () -> platform.restart(Service.PROVIDER, true));
    }

    @Test
    @Order(3)
    void usageServiceKilled() throws Exception {
        underLoad("kill -9 usage-service", () -> platform.restart(Service.USAGE, true));
    }

    @Test
    @Order(4)
    void billingServiceKilled() throws Exception {
        underLoad("kill -9 billing-service", () -> platform.restart(Service.BILLING, true));
    }

    @Test
    @Order(5)
    void analyticsServiceKilled() throws Exception {
        underLoad("kill -9 analytics-service", () -> platform.restart(Service.ANALYTICS, true));
    }

    @Test
    @Order(6)
    void postgresRestarted() throws Exception {
        underLoad("restart PostgreSQL", () -> platform.restartPostgres(Duration.ofSeconds(5)));
    }

    @Test
    @Order(7)
    void kafkaRestarted() throws Exception {
        underLoad("restart Kafka", () -> platform.restartKafka(Duration.ofSeconds(5)));
    }

    @Test
    @Order(8)
    void everyAccountIsBilledForWhatItWasAnsweredExactlyOnceEverywhere() throws Exception {
        // crashed requests are billed when their holds expire (plus a sweep); consumers catch up after restarts
        try {
            await().atMost(HOLD_TTL.plus(Duration.ofMinutes(3))).pollInterval(Duration.ofSeconds(3))
                    .untilAsserted(FaultToleranceIT::everyPhaseAddsUp);
            Thread.sleep(3000); // anything counted twice would show now
            everyPhaseAddsUp();
        } finally {
            printTable();
        }
    }

    /**
     * Loads the phase's account, injects the fault once a stream is mid-way, and goes on until four more requests
     * are answered after the fault was repaired (the service ready again, the broker or database back).
     */
    private static void underLoad(String fault, Runnable inject) throws Exception {
        Phase phase = phases.get(fault);
        try (Load load = new Load(phase)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> load.answered.get() >= 4 && load.streamsMidWay.get() > 0);
            Instant at = Instant.now();
            inject.run();
            int answeredBefore = load.answered.get();
            await().atMost(Duration.ofMinutes(3)).until(() -> load.answered.get() >= answeredBefore + 4);
            phase.recoveredAfter = Duration.between(at, Instant.now());
        }
    }

    private static void everyPhaseAddsUp() throws Exception {
        for (Phase phase : phases.values()) {
            phase.figures = figures(phase);
        }
        for (Phase phase : phases.values()) {
            Figures f = phase.figures;
            assertThat(f.problems).as(phase.fault).isEmpty();
            assertThat(new long[]{f.usageApi.requests, f.usageApi.tokens, f.usageApi.cost}).as(phase.fault
                    + ": usage-service's API against its ledger rows").containsExactly(f.ledger.requests,
                    f.ledger.tokens, f.ledger.cost);
            assertThat(new long[]{f.billing.requests, f.billing.tokens}).as(phase.fault
                    + ": billing-service's metering (events, tokens) against usage-service's ledger")
                    .containsExactly(f.ledger.requests, f.ledger.tokens);
            assertThat(new long[]{f.analytics.requests, f.analytics.tokens, f.analytics.cost}).as(phase.fault
                    + ": analytics against usage-service's ledger").containsExactly(f.ledger.requests,
                    f.ledger.tokens, f.ledger.cost);
        }
    }

    /** What the clients were answered, what each service counted, and every request not counted exactly once. */
    private static Figures figures(Phase phase) throws Exception {
        String account = phase.account.id;
        Map<String, LedgerRow> ledger = ledgerRows(account);
        Figures f = new Figures();
        List<String> problems = new ArrayList<>();
        int withoutId = 0;
        for (Sent s : phase.sent) {
            if (s.answered) {
                f.answered++;
                f.answeredTotals.add(1, s.inputTokens + s.outputTokens, cost(s.inputTokens, s.cachedTokens, s.outputTokens));
            } else if (s.contentChunks > 0) {
                f.cut++;
            } else {
                f.failed++;
            }
            if (s.requestId == null) {
                if (s.answered || s.contentChunks > 0) {
                    problems.add(s + " has no request id to find it by");
                }
                withoutId++;
                continue;
            }
            LedgerRow row = ledger.remove(s.requestId);
            int rows = row == null ? 0 : row.rows;
            if (rows > 1) {
                f.doubled++;
                problems.add(s + " counted " + rows + " times");
            } else if (rows == 0 && (s.answered || s.contentChunks > 0)) {
                f.lost++;
                problems.add(s + " not counted; " + holdOf(account, s.requestId));
            } else if (rows == 1 && row.cost != cost(row.inputTokens, row.cachedTokens, row.outputTokens)) {
                problems.add(s + " billed " + row.cost + " micro-USD for " + row);
            } else if (rows == 1 && s.answered && (row.inputTokens != s.inputTokens || row.outputTokens != s.outputTokens
                    || row.cachedTokens != s.cachedTokens)) {
                problems.add(s + " billed as " + row);
            } else if (rows == 1 && !s.answered && row.outputTokens < s.contentChunks) {
                problems.add(s + " billed for fewer output tokens than the client received: " + row);
            }
        }
        if (ledger.size() > withoutId) {
            problems.add(ledger.size() + " ledger rows for requests this test did not send (" + withoutId
                    + " sent got no request id): " + ledger);
        }
        f.problems = problems;
        f.ledger = ledgerTotals(account);
        f.usageApi = usageApi(account);
        f.billing = billing(account);
        f.analytics = analytics(account);
        return f;
    }

    /** usage-service's ledger for the account, by request id: how many rows (events) and their sums. */
    private static Map<String, LedgerRow> ledgerRows(String account) throws Exception {
        Map<String, LedgerRow> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(platform.jdbcUrl(Service.USAGE.database), "postgres", "postgres");
             PreparedStatement q = c.prepareStatement("""
                     select request_id, count(*), sum(input_tokens), sum(cached_input_tokens), sum(output_tokens),
                            sum(cost_micro_usd), string_agg(outcome, ',')
                     from usage_records where account_id = ? group by request_id""")) {
            q.setString(1, account);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new LedgerRow(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getString(7)));
                }
            }
        }
        return rows;
    }

    /**
     * Where a request's billing stands in usage-service (for the failure message only): its hold and whether
     * provider-service's record of the call arrived (see usage-service's README, "Usage survives a chat-service crash").
     */
    private static String holdOf(String account, String requestId) {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrl(Service.USAGE.database), "postgres", "postgres");
             PreparedStatement q = c.prepareStatement("""
                     select h.status, h.billed_from_provider_at, p.outcome, p.output_tokens
                     from holds h left join provider_calls p using (account_id, request_id)
                     where h.account_id = ? and h.request_id = ?""")) {
            q.setString(1, account);
            q.setString(2, requestId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? "hold " + rs.getString(1) + ", billed from provider's record at "
                        + rs.getString(2) + ", provider's record: " + (rs.getString(3) == null ? "none"
                        : rs.getString(3) + " with " + rs.getLong(4) + " output tokens") : "no hold";
            }
        } catch (java.sql.SQLException e) {
            return "hold not readable: " + e.getMessage();
        }
    }

    private static Totals ledgerTotals(String account) throws Exception {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrl(Service.USAGE.database), "postgres", "postgres");
             PreparedStatement q = c.prepareStatement("""
                     select count(*), coalesce(sum(input_tokens + output_tokens), 0), coalesce(sum(cost_micro_usd), 0)
                     from usage_records where account_id = ?""")) {
            q.setString(1, account);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    private static Totals usageApi(String account) throws Exception {
        JsonNode usage = admin("/api/v1/usage/accounts/" + account + "?from=" + yesterday() + "&to=" + today());
        return new Totals(usage.path("requests").asLong(), usage.path("totalTokens").asLong(),
                usage.path("costMicroUsd").asLong());
    }

    private static Totals billing(String account) throws Exception {
        JsonNode reconciliation = admin("/api/v1/admin/billing/reconciliation?from=" + yesterday() + "&to=" + today());
        for (JsonNode line : reconciliation.path("accounts")) {
            if (account.equals(line.path("accountId").asString())) {
                return new Totals(line.path("meteredEvents").asLong(), line.path("meteredTokens").asLong(), -1);
            }
        }
        return new Totals(0, 0, -1);
    }

    private static Totals analytics(String account) throws Exception {
        JsonNode report = admin("/api/v1/analytics/usage?granularity=range&accountId=" + account
                + "&from=" + yesterday() + "&to=" + today());
        Totals totals = new Totals(0, 0, 0);
        for (JsonNode row : report.path("rows")) {
            totals.add(row.path("requests").asLong(), row.path("totalTokens").asLong(), row.path("costMicroUsd").asLong());
        }
        return totals;
    }

    /** The price book's cost: rounded up to the micro-dollar, as provider-service's {@code Price} does. */
    private static long cost(long input, long cached, long output) {
        long micro = (input - cached) * INPUT_PRICE + cached * CACHED_INPUT_PRICE + output * OUTPUT_PRICE;
        return micro / 1_000_000 + (micro % 1_000_000 == 0 ? 0 : 1);
    }

    private static void printTable() {
        StringBuilder table = new StringBuilder("""

                | fault | answering again after | sent | answered | cut mid-stream | failed | answered tokens | answered µUSD \
                | ledger events | ledger tokens | ledger µUSD | billing events | billing tokens \
                | analytics requests | analytics tokens | analytics µUSD | lost | doubled |
                |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
                """);
        for (Phase p : phases.values()) {
            Figures f = p.figures;
            if (f == null) {
                table.append("| ").append(p.fault).append(" | not checked |\n");
                continue;
            }
            table.append("| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n"
                    .formatted(p.fault, p.recoveredAfter == null ? "-" : p.recoveredAfter.toSeconds() + " s",
                            p.sent.size(), f.answered, f.cut, f.failed, f.answeredTotals.tokens, f.answeredTotals.cost,
                            f.ledger.requests, f.ledger.tokens, f.ledger.cost, f.billing.requests, f.billing.tokens,
                            f.analytics.requests, f.analytics.tokens, f.analytics.cost, f.lost, f.doubled));
        }
        for (Phase p : phases.values()) {
            Map<String, Integer> statuses = new TreeMap<>();
            p.sent.forEach(s -> statuses.merge(s.outcome(), 1, Integer::sum));
            table.append("\n").append(p.fault).append(": ").append(statuses);
            if (p.figures != null && !p.figures.problems.isEmpty()) {
                table.append("\n  NOT EXACTLY ONCE:\n  ").append(String.join("\n  ", p.figures.problems));
            }
        }
        System.out.println(table);
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static LocalDate yesterday() {
        return today().minusDays(1);
    }

    /** One fault: its account and every request sent while it happened. */
    private static final class Phase {
        final String fault;
        final Account account;
        final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        volatile Duration recoveredAfter;
        volatile Figures figures;

        Phase(String fault, Account account) {
            this.fault = fault;
            this.account = account;
        }
    }

    /**
     * What a client saw of one request. {@code answered}: 200 and its usage (a stream: the usage chunk and
     * {@code [DONE]}); {@code contentChunks}: content chunks received before a stream ended without them.
     */
    private record Sent(String requestId, boolean streamed, int status, boolean answered, long inputTokens,
                        long cachedTokens, long outputTokens, int contentChunks, String failure) {

        String outcome() {
            String kind = streamed ? "stream " : "plain ";
            if (answered) {
                return kind + "answered";
            }
            return kind + (status == 0 ? "" : status + " ") + (contentChunks > 0 ? "cut mid-stream" : failure);
        }
    }

    private record LedgerRow(int rows, long inputTokens, long cachedTokens, long outputTokens, long cost, String outcomes) {
    }

    private static final class Totals {
        long requests;
        long tokens;
        long cost;

        Totals(long requests, long tokens, long cost) {
            this.requests = requests;
            this.tokens = tokens;
            this.cost = cost;
        }

        void add(long requests, long tokens, long cost) {
            this.requests += requests;
            this.tokens += tokens;
            this.cost += cost;
        }
    }

    private static final class Figures {
        int answered;
        int cut;
        int failed;
        int lost;
        int doubled;
        final Totals answeredTotals = new Totals(0, 0, 0);
        Totals ledger;
        Totals usageApi;
        Totals billing;
        Totals analytics;
        List<String> problems;
    }

    /** Two streaming and two non-streaming clients sending to one account back to back until closed. */
    private static final class Load implements AutoCloseable {

        private final Phase phase;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger sequence = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        /** Streams that have received content and not ended yet. */
        final AtomicInteger streamsMidWay = new AtomicInteger();
        private final List<Thread> clients = new ArrayList<>();

        Load(Phase phase) {
            this.phase = phase;
            for (int i = 0; i < 4; i++) {
                boolean streamed = i % 2 == 0;
                clients.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                    while (running.get()) {
                        Sent sent = send(streamed);
                        phase.sent.add(sent);
                        if (sent.answered) {
                            answered.incrementAndGet();
                        } else {
                            pause(200); // a failing platform is not hammered
                        }
                    }
                }));
            }
        }

        private Sent send(boolean streamed) {
            // a prompt of its own per request: provider-service's response cache would otherwise answer some
            String body = """
                    {"model":"sim-1","max_tokens":80,"stream":%s,%s"messages":[{"role":"user","content":"Fault test %s %d: tell me about tides."}]}"""
                    .formatted(streamed, streamed ? "\"stream_options\":{\"include_usage\":true}," : "",
                            UUID.randomUUID(), sequence.incrementAndGet());
            HttpRequest request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + phase.account.key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            String requestId = null;
            int status = 0;
            try {
                if (!streamed) {
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    requestId = response.headers().firstValue("X-Request-Id").orElse(null);
                    status = response.statusCode();
                    if (status != 200) {
                        return new Sent(requestId, false, status, false, 0, 0, 0, 0, "error");
                    }
                    JsonNode usage = JSON.readTree(response.body()).path("usage");
                    return new Sent(requestId, false, status, true, usage.path("prompt_tokens").asLong(),
                            usage.at("/prompt_tokens_details/cached_tokens").asLong(0),
                            usage.path("completion_tokens").asLong(), 0, null);
                }
                HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                requestId = response.headers().firstValue("X-Request-Id").orElse(null);
                status = response.statusCode();
                return readStream(requestId, status, response.body());
            } catch (IOException | RuntimeException e) {
                return new Sent(requestId, streamed, status, false, 0, 0, 0, 0, e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Sent(requestId, streamed, status, false, 0, 0, 0, 0, "interrupted");
            }
        }

        private Sent readStream(String requestId, int status, InputStream body) {
            int chunks = 0;
            JsonNode usage = null;
            boolean done = false;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.startsWith("data:")) {
                        continue;
                    }
                    String data = line.substring(5).trim();
                    if (data.equals("[DONE]")) {
                        done = true;
                        continue;
                    }
                    JsonNode chunk = JSON.readTree(data);
                    if (!chunk.path("usage").isMissingNode() && !chunk.path("usage").isNull()) {
                        usage = chunk.path("usage");
                    }
                    if (!chunk.at("/choices/0/delta/content").asString("").isEmpty()) {
                        if (chunks++ == 0) {
                            streamsMidWay.incrementAndGet();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // cut: what arrived so far is what the client got
            } finally {
                if (chunks > 0) {
                    streamsMidWay.decrementAndGet();
                }
            }
            boolean answeredWithUsage = status == 200 && usage != null && done;
            return new Sent(requestId, true, status, answeredWithUsage,
                    usage == null ? 0 : usage.path("prompt_tokens").asLong(),
                    usage == null ? 0 : usage.at("/prompt_tokens_details/cached_tokens").asLong(0),
                    usage == null ? 0 : usage.path("completion_tokens").asLong(), answeredWithUsage ? 0 : chunks,
                    answeredWithUsage ? null : status == 200 ? "stream ended without usage" : "error");
        }

        /** Stops sending; requests under way finish (each is bounded by the client's timeout and the stream's end). */
        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread client : clients) {
                client.join(Duration.ofMinutes(2));
                assertThat(client.isAlive()).as("a request of " + phase.fault + " still hangs after 2 minutes").isFalse();
            }
        }
    }

    private record Account(String id, String key) {
    }

    /** A fresh free-tier account and a chat key, through the gateway with the admin key. */
    private static Account newAccount(String label) throws Exception {
        String email = "faults-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        JsonNode account = adminPost("/api/v1/admin/accounts", Map.of("email", email, "name", label, "tier", "free"));
        String id = account.get("id").asString();
        JsonNode key = adminPost("/api/v1/admin/accounts/" + id + "/api-keys",
                Map.of("name", "faults", "scopes", List.of("chat")));
        String secret = key.get("key").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> HTTP.send(HttpRequest.newBuilder(
                        URI.create(platform.gatewayUrl() + "/v1/models")).header("Authorization", "Bearer " + secret).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return new Account(id, secret);
    }

    private static JsonNode admin(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Authorization", "Bearer " + platform.adminApiKey()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode adminPost(String path, Object body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + platform.adminApiKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode() / 100).as("POST " + path + ": " + r.body()).isEqualTo(2);
        return JSON.readTree(r.body());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

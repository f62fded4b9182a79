package dev.chatplatform.bench;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.launcher.LocalPlatform;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The cost of a governed chat request. Starts nginx as an OpenAI-compatible upstream that answers at once and a
 * fresh platform pointed at it ({@code OPENAI_BASE_URL}), warms it, then sends closed-loop load through the
 * gateway — non-streamed and streamed ({@value NginxUpstream#CHUNKS} chunks), at 1, 16 and 64 clients — and the
 * same load straight to nginx as the baseline, in the same run. For each it prints requests/s, p50/p90/p99, the
 * time to the first chunk, and the CPU every process spent per request. Each measured load runs on its own
 * account, so afterwards it can check that every answered request was counted exactly once in usage-service's
 * ledger, billing-service's metering and analytics.
 *
 * <p>Sizes: {@code BENCH_WARMUP} (default 4000 requests), {@code BENCH_REQUESTS} (per load at 16 and 64 clients,
 * default 4000; a quarter of it at 1 client), {@code BENCH_CLIENTS} (default {@code 1,16,64}),
 * {@code BENCH_MODES} ({@code completion,stream}). {@code BENCH_JFR_DIR}: record a JFR profile of every service
 * during the non-streamed load at 16 clients into that folder. {@code BENCH_LONG_STREAMS=2000} adds the
 * long-streams load: that many concurrent streams of {@value NginxUpstream#CHUNKS} chunks 500 ms apart. All of them
 * go to one deployment (provider {@code openai-compatible}), so the platform is started with provider-service's
 * concurrency limit per provider ({@code PROVIDER_MAX_CONCURRENT_CALLS}, default 256) raised to that count, unless
 * the environment sets it: the bench's upstream is built for that load, as a real deployment's limit is set to what
 * its provider account allows.
 */
public final class RequestPathBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String MODEL = "gpt-4o-mini";
    private static final String SLOW_MODEL = "bench-slow";
    private static final long TOKENS_PER_REQUEST = NginxUpstream.PROMPT_TOKENS + NginxUpstream.COMPLETION_TOKENS;

    private RequestPathBenchmark() {
    }

    /** One measured load and where it ran. */
    private record Load(String mode, String target, int clients, String accountId, LoadGenerator.Result result,
                        Map<String, Long> cpu, Map<String, Long> work) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = System.getenv();
        int warmup = Integer.parseInt(settings.getOrDefault("BENCH_WARMUP", "4000"));
        int requests = Integer.parseInt(settings.getOrDefault("BENCH_REQUESTS", "4000"));
        List<Integer> clientCounts = List.of(settings.getOrDefault("BENCH_CLIENTS", "1,16,64").split(",")).stream()
                .map(String::trim).map(Integer::parseInt).toList();
        List<String> modes = List.of(settings.getOrDefault("BENCH_MODES", "completion,stream").split(","));
        int longStreams = Integer.parseInt(settings.getOrDefault("BENCH_LONG_STREAMS", "0"));
        String jfrDir = settings.get("BENCH_JFR_DIR");

        Map<String, String> env = BenchPlatform.environment();
        int upstreamPort = Integer.parseInt(settings.getOrDefault("BENCH_UPSTREAM_PORT", "28190"));
        try (NginxUpstream upstream = NginxUpstream.start(upstreamPort, Duration.ofMillis(500), MODEL)) {
            env.put("OPENAI_API_KEY", "sk-bench-not-a-real-key");
            env.put("OPENAI_BASE_URL", upstream.baseUrl());
            env.put("OPENAI_COMPATIBLE_BASE_URL", upstream.slowBaseUrl());
            env.put("OPENAI_COMPATIBLE_MODELS", SLOW_MODEL);
            if (longStreams > 256) {
                env.putIfAbsent("PROVIDER_MAX_CONCURRENT_CALLS", Integer.toString(longStreams));
            }
            try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env);
                 PlatformCounters counters = new PlatformCounters(platform.postgresJdbcUrl("postgres"),
                         platform.kafkaBootstrapServers())) {
                System.out.printf("%nPlatform ready in %.1f s (fresh data folder).%n", platform.startupTime().toMillis() / 1000.0);
                platform.liftFreeTierLimits(); // every account here is on the free tier: measure the platform, not its quotas
                Path dataDir = Path.of(env.get("PLATFORM_DATA_DIR"));
                long postmaster = ProcessCpu.postmaster(dataDir.resolve("postgres"));
                ProcessCpu cpu = new ProcessCpu();
                platform.servicePids().forEach((service, pid) -> cpu.role(service, () -> List.of(pid)));
                cpu.role("kafka (launcher JVM)", () -> List.of(ProcessHandle.current().pid()));
                cpu.role("postgresql", () -> ProcessCpu.withDescendants(postmaster));
                cpu.role("nginx (upstream)", upstream::pids);

                URI gateway = URI.create(platform.gatewayUrl() + "/v1/chat/completions");
                URI direct = URI.create(upstream.baseUrl() + "/chat/completions");
                System.out.printf("Warming up: %d non-streamed and %d streamed requests through the gateway at 16 clients...%n",
                        warmup, warmup / 2);
                Map<String, String> demo = Map.of("Authorization", "Bearer " + platform.demoApiKey());
                LoadGenerator.run(gateway, demo, body(false), 16, warmup);
                LoadGenerator.run(gateway, demo, body(true), 16, warmup / 2);
                LoadGenerator.run(direct, Map.of(), body(false), 16, warmup);
                awaitQuiet(cpu);

                List<Load> loads = new ArrayList<>();
                for (String mode : modes) {
                    boolean stream = mode.trim().equals("stream");
                    for (int clients : clientCounts) {
                        int count = clients == 1 ? Math.max(100, requests / 4) : requests;
                        loads.add(measure(cpu, null, "upstream", mode, clients, null, direct, Map.of(), body(stream), count));
                        var account = newAccount(platform, mode + "-" + clients);
                        boolean profile = jfrDir != null && !stream && clients == 16;
                        if (profile) {
                            jfr(platform, "JFR.start", "name=bench", "settings=profile");
                        }
                        loads.add(measure(cpu, counters, "platform", mode, clients, account.id(), gateway,
                                Map.of("Authorization", "Bearer " + account.key()), body(stream), count));
                        if (profile) {
                            Files.createDirectories(Path.of(jfrDir));
                            platform.servicePids().forEach((service, pid) -> jcmd(pid, "JFR.stop", "name=bench",
                                    "filename=" + Path.of(jfrDir, service + ".jfr").toAbsolutePath()));
                        }
                    }
                }
                printLoads(loads);
                if (longStreams > 0) {
                    loads.add(longStreams(platform, cpu, postmaster, longStreams));
                }
                checkExactlyOnce(platform, loads);
            }
        }
    }

    private static byte[] body(boolean stream) {
        return ("{\"model\":\"" + MODEL + "\",\"max_tokens\":64," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Benchmark me: a short question about cost.\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One closed-loop load. With {@code counters} (a load through the platform) the CPU and the work counted run
     * until the platform is quiet again, so what its consumers do after the answers (settlement, metering,
     * analytics) is part of the request's cost.
     */
    private static Load measure(ProcessCpu cpu, PlatformCounters counters, String target, String mode, int clients,
                                String accountId, URI url, Map<String, String> headers, byte[] body, int count)
            throws Exception {
        Map<String, Long> before = cpu.snapshot();
        Map<String, Long> workBefore = counters == null ? Map.of() : counters.snapshot();
        LoadGenerator.Result result = LoadGenerator.run(url, headers, body, clients, count);
        Map<String, Long> work = Map.of();
        if (counters != null) {
            awaitQuiet(cpu);
            Thread.sleep(1500); // PostgreSQL backends report their statistics at most every second
            work = PlatformCounters.between(workBefore, counters.snapshot());
        }
        Map<String, Long> spent = ProcessCpu.between(before, cpu.snapshot());
        // the load generator runs in the launcher's JVM beside Kafka: its own threads' CPU is not the broker's
        spent.computeIfPresent("kafka (launcher JVM)", (k, v) -> Math.max(0, v - result.cpuNanos()));
        spent.put("load generator", result.cpuNanos());
        Load load = new Load(mode, target, clients, accountId, result, spent, work);
        System.out.printf("  %-10s %-8s %2d clients: %,7.0f req/s, p50 %7.2f ms, p99 %7.2f ms, %s%n", mode, target, clients,
                result.perSecond(), Percentiles.of(result.totalNanos(), 50) / 1e6,
                Percentiles.of(result.totalNanos(), 99) / 1e6, statusSummary(result));
        return load;
    }

    private static String statusSummary(LoadGenerator.Result r) {
        String s = r.ok() + " ok";
        if (r.answered() != r.ok()) {
            s += ", statuses " + r.statuses();
        }
        if (r.errors() > 0) {
            s += ", " + r.errors() + " broken " + r.failures();
        }
        return s;
    }

    private static void printLoads(List<Load> loads) {
        System.out.printf("%nClosed-loop load, %s upstream answering at once (nginx), every process on this machine's %d cores:%n",
                MODEL, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-10s %-9s %7s %9s %8s %8s %8s %10s %10s %9s%n", "mode", "target", "clients", "req/s",
                "p50 ms", "p90 ms", "p99 ms", "1st p50", "1st p99", "errors");
        for (Load l : loads) {
            LoadGenerator.Result r = l.result();
            System.out.printf("%-10s %-9s %7d %9.0f %8.2f %8.2f %8.2f %10.2f %10.2f %9d%n", l.mode(), l.target(),
                    l.clients(), r.perSecond(), Percentiles.of(r.totalNanos(), 50) / 1e6,
                    Percentiles.of(r.totalNanos(), 90) / 1e6, Percentiles.of(r.totalNanos(), 99) / 1e6,
                    Percentiles.of(r.firstByteNanos(), 50) / 1e6, Percentiles.of(r.firstByteNanos(), 99) / 1e6,
                    r.answered() - r.ok() + r.errors());
        }
        System.out.printf("%nCPU per answered request, microseconds (from /proc; 10 ms ticks, so small loads are coarse):%n");
        List<String> roles = new ArrayList<>(loads.getFirst().cpu().keySet());
        System.out.printf("%-10s %-9s %7s", "mode", "target", "clients");
        roles.forEach(r -> System.out.printf(" %9s", abbreviate(r)));
        System.out.printf(" %10s %12s%n", "platform", "upstream");
        for (Load l : loads) {
            long answered = Math.max(1, l.result().answered());
            System.out.printf("%-10s %-9s %7d", l.mode(), l.target(), l.clients());
            roles.forEach(r -> System.out.printf(" %9.0f", l.cpu().getOrDefault(r, 0L) / 1e3 / answered));
            long platformCpu = l.cpu().entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("nginx") && !e.getKey().equals("load generator"))
                    .mapToLong(Map.Entry::getValue).sum();
            System.out.printf(" %10.0f %12.0f%n", platformCpu / 1e3 / answered,
                    l.cpu().getOrDefault("nginx (upstream)", 0L) / 1e3 / answered);
        }
        System.out.println("(platform = every service, Kafka and PostgreSQL, until quiet after the load; the upstream and the load generator apart)");
        printWork(loads.stream().filter(l -> !l.work().isEmpty()).toList());
    }

    /** PostgreSQL transactions per database and Kafka records per topic, per answered request. */
    private static void printWork(List<Load> loads) {
        if (loads.isEmpty()) {
            return;
        }
        System.out.printf("%nWork per answered request (exact counts, independent of the machine's load):%n%-34s", "");
        loads.forEach(l -> System.out.printf(" %14s", l.mode() + "@" + l.clients()));
        System.out.println();
        var names = new java.util.TreeSet<String>();
        loads.forEach(l -> names.addAll(l.work().keySet()));
        for (String total : List.of("db:", "topic:")) {
            for (String name : names.stream().filter(n -> n.startsWith(total)).toList()) {
                System.out.printf("%-34s", name.startsWith("db:") ? "transactions " + name.substring(3)
                        : "records " + name.substring(6));
                loads.forEach(l -> System.out.printf(" %14.2f", l.work().getOrDefault(name, 0L) / (double) Math.max(1, l.result().answered())));
                System.out.println();
            }
            System.out.printf("%-34s", total.equals("db:") ? "transactions, all databases" : "records, all topics");
            loads.forEach(l -> System.out.printf(" %14.2f", l.work().entrySet().stream().filter(e -> e.getKey().startsWith(total))
                    .mapToLong(Map.Entry::getValue).sum() / (double) Math.max(1, l.result().answered())));
            System.out.println();
        }
    }

    private static String abbreviate(String role) {
        return role.replace("-service", "").replace(" (launcher JVM)", "").replace(" (upstream)", "")
                .replace("load generator", "load").replace("postgresql", "pg");
    }

    /**
     * Many long streams at once: {@code count} concurrent streams of a model whose upstream sends a chunk every
     * 500 ms, each client sending one; prints how many completed and the peak memory of the platform's processes
     * ({@link ProcessMemory}): the seven services, PostgreSQL, and this JVM, which hosts Kafka and also the load
     * generator's client threads, so its share is an upper bound of Kafka's (its size before the load is printed too).
     */
    private static Load longStreams(LocalPlatform platform, ProcessCpu cpu, long postmaster, int count) throws Exception {
        setPrice(platform, SLOW_MODEL);
        var account = newAccount(platform, "long-streams");
        byte[] body = ("{\"model\":\"" + SLOW_MODEL + "\",\"stream\":true,\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"A long answer, please.\"}]}").getBytes(StandardCharsets.UTF_8);
        System.out.printf("%nLong streams: %d concurrent streams, %d chunks 500 ms apart...%n", count, NginxUpstream.CHUNKS);
        List<Long> services = List.copyOf(platform.servicePids().values());
        long launcher = ProcessHandle.current().pid();
        long launcherBefore = ProcessMemory.pssKib(launcher);
        long[] peak = new long[4]; // total, services, PostgreSQL, launcher JVM at the total's peak
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long s = ProcessMemory.pssKib(services);
                long pg = ProcessMemory.pssKib(ProcessCpu.withDescendants(postmaster));
                long l = ProcessMemory.pssKib(launcher);
                if (s + pg + l > peak[0]) {
                    peak[0] = s + pg + l;
                    peak[1] = s;
                    peak[2] = pg;
                    peak[3] = l;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Load load = measure(cpu, null, "platform", "long", count, account.id(), URI.create(platform.gatewayUrl() + "/v1/chat/completions"),
                Map.of("Authorization", "Bearer " + account.key()), body, count);
        sampler.interrupt();
        LoadGenerator.Result r = load.result();
        System.out.printf("  completed %d of %d (%d refused or broken), total p50 %.1f s, p99 %.1f s, statuses %s%s%n",
                r.ok(), count, count - r.ok(), Percentiles.of(r.totalNanos(), 50) / 1e9,
                Percentiles.of(r.totalNanos(), 99) / 1e9, r.statuses(),
                r.errors() > 0 ? ", " + r.errors() + " failed " + r.failures() : "");
        System.out.printf("  peak memory of the platform's processes (proportional set size): %,d MiB = services %,d MiB"
                        + " + PostgreSQL %,d MiB + launcher JVM %,d MiB (Kafka and the load generator's %d client threads;"
                        + " %,d MiB before the load)%n", peak[0] / 1024, peak[1] / 1024, peak[2] / 1024, peak[3] / 1024,
                count, launcherBefore / 1024);
        return load;
    }

    /**
     * Every answered request of each measured account counted once in usage-service's ledger, billing-service's
     * metering and the analytics usage report (tokens fixed by the upstream, so tokens = requests x 44).
     */
    private static void checkExactlyOnce(LocalPlatform platform, List<Load> loads) throws Exception {
        System.out.printf("%nExactly once: answered requests against what each consumer counted (waiting for them to catch up)%n");
        System.out.printf("%-10s %7s %9s %9s %12s %12s %12s %8s%n", "mode", "clients", "answered", "usage",
                "usage tok", "billing tok", "analytics", "verdict");
        boolean allGood = true;
        for (Load l : loads) {
            if (l.accountId() == null) {
                continue;
            }
            long answered = l.result().ok();
            long expectedTokens = answered * TOKENS_PER_REQUEST;
            Counts counts = awaitCounts(platform, l.accountId(), answered, expectedTokens);
            boolean good = counts.usageRequests == answered && counts.usageTokens == expectedTokens
                    && counts.billingTokens == expectedTokens && counts.analyticsRequests == answered;
            allGood &= good;
            System.out.printf("%-10s %7d %9d %9d %12d %12d %12d %8s%n", l.mode(), l.clients(), answered,
                    counts.usageRequests, counts.usageTokens, counts.billingTokens, counts.analyticsRequests,
                    good ? "once" : "MISMATCH");
        }
        if (!allGood) {
            throw new IllegalStateException("MISMATCH: an answered request was not counted exactly once (rows above)");
        }
        System.out.println("Every answered request was counted exactly once by usage, billing metering and analytics.");
    }

    private record Counts(long usageRequests, long usageTokens, long billingTokens, long analyticsRequests) {
    }

    private static Counts awaitCounts(LocalPlatform platform, String accountId, long requests, long tokens) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        Counts counts;
        do {
            JsonNode usage = admin(platform, "/api/v1/usage/accounts/" + accountId);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            JsonNode billing = admin(platform, "/api/v1/admin/billing/reconciliation?from=" + today.withDayOfMonth(1)
                    + "&to=" + today.plusDays(1));
            long billed = 0;
            for (JsonNode line : billing.path("accounts")) {
                if (accountId.equals(line.path("accountId").asString())) {
                    billed = line.path("meteredTokens").asLong();
                }
            }
            JsonNode analytics = admin(platform, "/api/v1/analytics/usage?granularity=range&accountId=" + accountId
                    + "&from=" + today.minusDays(1) + "&to=" + today);
            long analyzed = 0;
            for (JsonNode row : analytics.path("rows")) {
                analyzed += row.path("requests").asLong();
            }
            counts = new Counts(usage.path("requests").asLong(), usage.path("totalTokens").asLong(), billed, analyzed);
            if (counts.usageRequests >= requests && counts.billingTokens >= tokens && counts.analyticsRequests >= requests) {
                Thread.sleep(2000); // anything doubled would show now
                return counts;
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(deadline));
        return counts;
    }

    private record Account(String id, String key) {
    }

    /** A fresh free-tier account and a chat key, through the gateway with the admin key. */
    private static Account newAccount(LocalPlatform platform, String label) throws Exception {
        String email = "bench-" + label + "-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        JsonNode account = adminPost(platform, "/api/v1/admin/accounts",
                Map.of("email", email, "name", "bench " + label, "tier", "free"));
        String id = account.get("id").asString();
        JsonNode key = adminPost(platform, "/api/v1/admin/accounts/" + id + "/api-keys",
                Map.of("name", "bench", "scopes", List.of("chat")));
        String secret = key.get("key").asString();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) { // until the gateway's view of api-keys.v1 has the key
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/models"))
                    .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                return new Account(id, secret);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the gateway did not accept the key of " + email);
    }

    /** Prices the slow model (OpenAI-compatible models start without a price), through provider-service's admin API. */
    private static void setPrice(LocalPlatform platform, String model) throws Exception {
        adminPost(platform, "/api/v1/admin/models/" + model + "/prices", Map.of(
                "effectiveFrom", Instant.now().plusSeconds(2).toString(),
                "inputMicroUsdPerMtok", 150_000, "cachedInputMicroUsdPerMtok", 75_000, "outputMicroUsdPerMtok", 600_000));
        Thread.sleep(2500);
    }

    private static JsonNode admin(LocalPlatform platform, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Authorization", "Bearer " + platform.adminApiKey()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static JsonNode adminPost(LocalPlatform platform, String path, Object body) throws Exception {
        String base = path.startsWith("/api/v1/admin/models") ? platform.providerServiceUrl() : platform.gatewayUrl();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (base.equals(platform.gatewayUrl())) {
            request.header("Authorization", "Bearer " + platform.adminApiKey());
        } else {
            // provider-service's catalog admin API is not routed by the gateway: an admin identity for provider-service
            IdentityTokens tokens = new IdentityTokens(platform.identitySecret(), Duration.ofMinutes(1), Clock.systemUTC(), "bench");
            request.header(IdentityTokens.HEADER, tokens.mint(new CallerIdentity("bench-admin", null, Set.of(CallerIdentity.ADMIN)),
                    "provider-service"));
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Waits until the platform's processes are nearly idle again (consumers caught up), at most 60 s. */
    private static void awaitQuiet(ProcessCpu cpu) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        Map<String, Long> before = cpu.snapshot();
        while (Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            Map<String, Long> after = cpu.snapshot();
            long spent = ProcessCpu.between(before, after).values().stream().mapToLong(Long::longValue).sum();
            if (spent < 150_000_000L) { // under 15 % of one core over the last second
                return;
            }
            before = after;
        }
    }

    private static void jfr(LocalPlatform platform, String command, String... options) {
        platform.servicePids().values().forEach(pid -> jcmd(pid, command, options));
    }

    private static void jcmd(long pid, String command, String... options) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command));
        cmd.addAll(List.of(options));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                System.err.println("jcmd " + pid + " " + command + " failed: " + out);
            }
        } catch (IOException e) {
            System.err.println("jcmd failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.chatplatform.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.launcher.LocalPlatform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * provider-service's own cost: an OpenAI-compatible stub (JDK HttpServer, answers at once) is called
 * directly and through provider-service (its jar, started next to the whole local platform on its PostgreSQL and
 * Kafka, {@code OPENAI_COMPATIBLE_BASE_URL} pointing at the stub, model {@code stub-model} priced through the admin API), at 1, 16 and 64 concurrent
 * requests, whole answers and streams (a stream's latency is until {@code [DONE]} has been read). The added
 * latency is provider-service's percentile minus the direct one. Then the stub starts failing with 500 and
 * the benchmark measures how long provider-service takes to open the provider's circuit breaker (first 503
 * {@code upstream_unavailable} without calling the stub) and, once the stub is healthy again, to close it.
 * Sizes: BENCH_REQUESTS per row (default 2000) and
 * BENCH_WARMUP per mode (default 500).
 */
public final class ProviderOverheadBenchmark {

    private static final String MODEL = "stub-model";
    private static final String BODY = """
            {"model":"%s","messages":[{"role":"user","content":"Benchmark me: a short question about latency."}],"max_tokens":32%s}""";
    private static final String ANSWER = """
            {"id":"chatcmpl-stub","object":"chat.completion","created":1735689600,"model":"stub-model","choices":[{"index":0,"message":{"role":"assistant","content":"Latency is the time a request waits for its answer."},"finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":11,"total_tokens":31}}""";
    private static final String[] WORDS = {"Latency", " is", " the", " time", " a", " request", " waits", " for",
            " its", " answer", "."};
    private static final Duration WAIT_IN_OPEN = Duration.ofSeconds(5);

    private ProviderOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(System.getenv().getOrDefault("BENCH_REQUESTS", "2000"));
        int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "500"));
        AtomicBoolean failing = new AtomicBoolean(false);
        AtomicInteger stubCalls = new AtomicInteger();
        HttpServer stub = startStub(failing, stubCalls);
        String stubUrl = "http://127.0.0.1:" + stub.getAddress().getPort() + "/v1";

        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PLATFORM_DATA_DIR", Files.createTempDirectory("platform-bench").toString());
        env.putIfAbsent("PLATFORM_BASE_PORT", "29080");
        env.putIfAbsent("PLATFORM_KAFKA_PORT", "29192");
        env.putIfAbsent("PLATFORM_POSTGRES_PORT", "25532");
        int port = Integer.parseInt(env.get("PLATFORM_BASE_PORT")) + 100;

        Process provider = null;
        try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env)) {
            provider = startProviderService(env, platform, port, stubUrl);
            String providerUrl = "http://localhost:" + port;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            IdentityTokens tokens = new IdentityTokens(platform.identitySecret(), Duration.ofHours(1), Clock.systemUTC(), "bench");
            String identity = tokens.mint(new CallerIdentity("bench-account", "bench", Set.of(CallerIdentity.CHAT)),
                    "provider-service");
            String admin = tokens.mint(new CallerIdentity("bench-admin", "bench", Set.of(CallerIdentity.ADMIN)),
                    "provider-service");
            price(http, providerUrl, admin);

            URI viaProvider = URI.create(providerUrl + "/v1/chat/completions");
            URI direct = URI.create(stubUrl + "/chat/completions");
            for (boolean stream : new boolean[]{false, true}) {
                run(http, direct, null, stream, 1, warmup);
                run(http, viaProvider, identity, stream, 1, warmup);
            }

            System.out.printf("%nprovider-service overhead over an OpenAI-compatible stub that answers at once (%d requests per row):%n",
                    requests);
            System.out.printf("  %-10s %5s %12s %12s %14s %14s %12s %12s%n", "mode", "conc", "direct p50", "direct p99",
                    "provider p50", "provider p99", "added p50", "added p99");
            for (boolean stream : new boolean[]{false, true}) {
                for (int concurrency : new int[]{1, 16, 64}) {
                    long[] d = run(http, direct, null, stream, concurrency, requests);
                    long[] p = run(http, viaProvider, identity, stream, concurrency, requests);
                    System.out.printf("  %-10s %5d %9.2f ms %9.2f ms %11.2f ms %11.2f ms %9.2f ms %9.2f ms%n",
                            stream ? "stream" : "non-stream", concurrency, pct(d, 50), pct(d, 99), pct(p, 50), pct(p, 99),
                            pct(p, 50) - pct(d, 50), pct(p, 99) - pct(d, 99));
                }
            }

            breaker(http, viaProvider, identity, failing, stubCalls);
        } finally {
            if (provider != null) {
                provider.destroy();
                provider.waitFor();
            }
            stub.stop(0);
        }
    }

    /**
     * The launcher passes only the simulated model's settings to its services, so a second provider-service
     * (the same jar) runs next to the platform's, on the platform's PostgreSQL and Kafka, with the stub configured.
     */
    private static Process startProviderService(Map<String, String> env, LocalPlatform platform, int port, String stubUrl)
            throws Exception {
        Path project = Path.of(env.getOrDefault("PLATFORM_PROJECT_DIR", ".")).toAbsolutePath();
        Path log = Path.of(env.get("PLATFORM_DATA_DIR"), "logs", "provider-service-bench.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xms64m", "-Xmx512m", "-jar",
                project.resolve("provider-service/target/provider-service.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> e = builder.environment();
        e.put("PORT", Integer.toString(port));
        e.put("DATABASE_URL", "jdbc:postgresql://localhost:" + env.get("PLATFORM_POSTGRES_PORT") + "/provider");
        e.put("KAFKA_BOOTSTRAP_SERVERS", platform.kafkaBootstrapServers());
        e.put("PLATFORM_IDENTITY_SECRET", platform.identitySecret());
        e.put("OPENAI_COMPATIBLE_BASE_URL", stubUrl);
        e.put("OPENAI_COMPATIBLE_MODELS", MODEL);
        e.put("PROVIDER_BREAKER_WAIT_IN_OPEN", WAIT_IN_OPEN.toSeconds() + "s");
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("provider-service exited, see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        process.destroy();
        throw new IllegalStateException("provider-service did not become ready, see " + log);
    }

    /** Sequential requests while the stub fails: until the first 503 (breaker open), then until the first 200 after recovery. */
    private static void breaker(HttpClient http, URI uri, String identity, AtomicBoolean failing, AtomicInteger stubCalls)
            throws Exception {
        failing.set(true);
        long start = System.nanoTime();
        int requests = 0;
        int callsBefore = stubCalls.get();
        while (true) {
            HttpResponse<String> r = send(http, uri, identity, false);
            requests++;
            if (r.statusCode() == 503) {
                break;
            }
            if (requests > 1000) {
                throw new IllegalStateException("the breaker never opened: " + r.statusCode() + " " + r.body());
            }
        }
        double openMs = (System.nanoTime() - start) / 1e6;
        int upstreamCalls = stubCalls.get() - callsBefore;
        failing.set(false);
        long healthy = System.nanoTime();
        int probes = 0;
        while (send(http, uri, identity, false).statusCode() != 200) {
            probes++;
            Thread.sleep(50);
        }
        double recoverMs = (System.nanoTime() - healthy) / 1e6;
        System.out.printf("%nCircuit breaker (defaults: window 20 calls, minimum 5, 50 %% failures, 3 attempts per request with 200 ms"
                + " backoff; wait-in-open set to %d s):%n", WAIT_IN_OPEN.toSeconds());
        System.out.printf("  stub starts answering 500: breaker open after %.0f ms (%d client requests, %d upstream calls)%n",
                openMs, requests, upstreamCalls);
        System.out.printf("  stub healthy again: first successful answer after %.0f ms (%d requests refused with 503 meanwhile;"
                + " bounded by wait-in-open)%n%n", recoverMs, probes);
    }

    private static long[] run(HttpClient http, URI uri, String identity, boolean stream, int concurrency, int count)
            throws Exception {
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                done.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        HttpResponse<String> r = send(http, uri, identity, stream);
                        nanos[i] = System.nanoTime() - start;
                        if (r.statusCode() != 200 || (stream && !r.body().contains("[DONE]"))) {
                            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return nanos;
    }

    private static HttpResponse<String> send(HttpClient http, URI uri, String identity, boolean stream) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header(RequestIds.HEADER, RequestIds.mint())
                .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(MODEL, stream ? ",\"stream\":true" : "")));
        if (identity != null) {
            b.header("X-Platform-Identity", identity);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The stub model comes unpriced (never served at $0): price it like a real one. */
    private static void price(HttpClient http, String providerUrl, String admin) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(providerUrl + "/api/v1/admin/models/" + MODEL + "/prices"))
                .header("Content-Type", "application/json").header("X-Platform-Identity", admin)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"inputMicroUsdPerMtok":150000,"outputMicroUsdPerMtok":600000,"cachedInputMicroUsdPerMtok":75000}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("could not price " + MODEL + ": " + r.statusCode() + " " + r.body());
        }
        Thread.sleep(50); // the price is in force from "now" on the server's clock
    }

    private static HttpServer startStub(AtomicBoolean failing, AtomicInteger calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                calls.incrementAndGet();
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (failing.get()) {
                    respond(exchange, 500, "application/json", """
                            {"error":{"message":"stub failure","type":"server_error","code":null}}""");
                } else if (body.contains("\"stream\":true")) {
                    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    for (String word : WORDS) {
                        out.write(("data: {\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
                                + "\"model\":\"stub-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word
                                + "\"},\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    out.write(("data: {\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
                            + "\"model\":\"stub-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: {\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1735689600,"
                            + "\"model\":\"stub-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":11,"
                            + "\"total_tokens\":31}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    respond(exchange, 200, "application/json", ANSWER);
                }
            }
        });
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static double pct(long[] values, double p) {
        return Percentiles.of(values, p) / 1e6;
    }
}

package dev.chatplatform.bench;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.launcher.LocalPlatform;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streamed chat completions at 1, 16 and 64 concurrent streams: time to first token and total time
 * through gateway + chat-service + provider-service versus provider-service alone, on a fresh platform
 * whose simulated model has zero delay (so the figures are the platform's own cost). Sizes: BENCH_STREAMS
 * (streams per concurrency level and path, default 640) and BENCH_WARMUP (default 200).
 */
public final class StreamingBenchmark {

    private static final String BODY = """
            {"model":"sim-1","stream":true,"stream_options":{"include_usage":true},"max_tokens":64,
             "messages":[{"role":"user","content":"Stream a short answer about latency, please."}]}""";

    private StreamingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int streams = Integer.parseInt(System.getenv().getOrDefault("BENCH_STREAMS", "640"));
        int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "200"));
        Map<String, String> env = BenchPlatform.environment();

        try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            platform.liftFreeTierLimits(); // measure the platform, not the free tier's quotas
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool).build();
            String identity = new IdentityTokens(platform.identitySecret(), Duration.ofHours(1), Clock.systemUTC(), "bench")
                    .mint(new CallerIdentity("bench-account", "bench", Set.of(CallerIdentity.CHAT)), "provider-service");
            Target gateway = new Target("gateway -> chat-service -> provider-service",
                    platform.gatewayUrl() + "/v1/chat/completions", "Authorization", "Bearer " + platform.demoApiKey());
            Target provider = new Target("provider-service directly",
                    platform.providerServiceUrl() + "/v1/chat/completions", "X-Platform-Identity", identity);

            run(http, pool, gateway, 4, warmup, new ArrayList<>());
            run(http, pool, provider, 4, warmup, new ArrayList<>());
            System.out.printf("%nStreamed chat completions, sim-1 with zero simulated delay, max_tokens 64, %d streams per row:%n", streams);
            System.out.printf("  %-44s %5s %10s %10s %10s %10s %9s %6s%n", "path", "conc.", "TTFT p50", "TTFT p99",
                    "total p50", "total p99", "streams/s", "failed");
            List<String> failures = new ArrayList<>();
            for (int concurrency : new int[]{1, 16, 64}) {
                for (Target target : List.of(gateway, provider)) {
                    long began = System.nanoTime();
                    List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
                    List<long[]> results = run(http, pool, target, concurrency, streams, failed);
                    double seconds = (System.nanoTime() - began) / 1e9;
                    failures.addAll(failed);
                    long[] ttft = results.stream().mapToLong(r -> r[0]).toArray();
                    long[] total = results.stream().mapToLong(r -> r[1]).toArray();
                    System.out.printf("  %-44s %5d %8.2fms %8.2fms %8.2fms %8.2fms %9.0f %6d%n", target.label,
                            concurrency, Percentiles.of(ttft, 50) / 1e6, Percentiles.of(ttft, 99) / 1e6,
                            Percentiles.of(total, 50) / 1e6, Percentiles.of(total, 99) / 1e6, results.size() / seconds,
                            failed.size());
                }
            }
            failures.stream().distinct().limit(5).forEach(f -> System.out.println("  failure: " + f));
        }
    }

    /**
     * {@code count} streams, {@code concurrency} at a time; each result is {ttft nanos, total nanos}. A stream
     * refused or broken is not timed: its reason is added to {@code failed}.
     */
    private static List<long[]> run(HttpClient http, ExecutorService pool, Target target, int concurrency, int count,
                                    List<String> failed) throws Exception {
        List<long[]> results = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger remaining = new java.util.concurrent.atomic.AtomicInteger(count);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit((Callable<Void>) () -> {
                while (remaining.getAndDecrement() > 0) {
                    try {
                        results.add(stream(http, target));
                    } catch (IllegalStateException e) {
                        failed.add(e.getMessage());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        return results;
    }

    private static long[] stream(HttpClient http, Target target) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url))
                .header(target.authHeader, target.authValue)
                .header("Content-Type", "application/json")
                .header(RequestIds.HEADER, RequestIds.mint())
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(target.label + " answered " + response.statusCode()
                    + ": " + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long firstToken = -1;
        boolean done = false;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (firstToken < 0 && line.startsWith("data:") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                    firstToken = System.nanoTime() - start;
                }
                if (line.equals("data: [DONE]")) {
                    done = true;
                }
            }
        }
        if (!done || firstToken < 0) {
            throw new IllegalStateException(target.label + ": stream ended without a token or [DONE]");
        }
        return new long[]{firstToken, System.nanoTime() - start};
    }


    private record Target(String label, String url, String authHeader, String authValue) {
    }
}

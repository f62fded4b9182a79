package dev.chatplatform.bench;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.launcher.LocalPlatform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Starts a fresh platform (simulated model with zero delay) and measures a non-streamed chat request
 * through the gateway (gateway + chat-service + provider-service) against the same request sent to
 * provider-service directly, sequentially, after a warm-up. Prints cold start, memory and latency figures.
 * Sizes: BENCH_WARMUP (default 300) and BENCH_REQUESTS (default 1000).
 */
public final class LatencyBenchmark {

    private static final String BODY = """
            {"model":"sim-1","messages":[{"role":"user","content":"Benchmark me: a short question about latency."}],"max_tokens":32}""";

    private LatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "300"));
        int requests = Integer.parseInt(System.getenv().getOrDefault("BENCH_REQUESTS", "1000"));
        Map<String, String> env = BenchPlatform.environment();

        try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env)) {
            platform.liftFreeTierLimits(); // measure the platform, not the free tier's quotas
            System.out.printf("%nCold start of the whole platform (fresh data folder): %.1f s%n",
                    platform.startupTime().toMillis() / 1000.0);
            platform.serviceStats().forEach((service, s) ->
                    System.out.printf("  %-18s ready after %5.1f s, resident memory %4d MiB%n", service, s[0] / 1000.0, s[1] / 1024));

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            IdentityTokens tokens = new IdentityTokens(platform.identitySecret(), Duration.ofHours(1), Clock.systemUTC(), "bench");
            String identity = tokens.mint(new CallerIdentity("bench-account", "bench", Set.of(CallerIdentity.CHAT)),
                    "provider-service");

            HttpRequest.Builder viaGateway = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + platform.demoApiKey());
            HttpRequest.Builder direct = HttpRequest.newBuilder(URI.create(platform.providerServiceUrl() + "/v1/chat/completions"))
                    .header("X-Platform-Identity", identity);

            run(http, viaGateway, warmup);
            run(http, direct, warmup);
            long[] gateway = run(http, viaGateway, requests);
            long[] provider = run(http, direct, requests);

            System.out.printf("%nNon-stream chat completion, sim-1, zero simulated delay, %d sequential requests after %d warm-up:%n",
                    requests, warmup);
            System.out.printf("  %-46s %8s %8s %8s%n", "path", "p50 ms", "p99 ms", "mean ms");
            print("gateway -> chat-service -> provider-service", gateway);
            print("provider-service directly", provider);
            System.out.printf("  overhead of gateway + chat-service at p50: %.2f ms%n%n",
                    (Percentiles.of(gateway, 50) - Percentiles.of(provider, 50)) / 1e6);
            platform.serviceStats().forEach((service, s) ->
                    System.out.printf("  %-18s resident memory after the run %4d MiB%n", service, s[1] / 1024));
        }
    }

    private static long[] run(HttpClient http, HttpRequest.Builder template, int count) throws Exception {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            HttpRequest request = template.copy()
                    .header("Content-Type", "application/json")
                    .header(RequestIds.HEADER, RequestIds.mint())
                    .POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("request failed with " + response.statusCode() + ": " + response.body());
            }
        }
        return nanos;
    }

    private static void print(String label, long[] nanos) {
        System.out.printf("  %-46s %8.2f %8.2f %8.2f%n", label, Percentiles.of(nanos, 50) / 1e6, Percentiles.of(nanos, 99) / 1e6,
                Arrays.stream(nanos).average().orElse(0) / 1e6);
    }

}

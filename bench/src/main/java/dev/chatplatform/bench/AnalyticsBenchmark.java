package dev.chatplatform.bench;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.launcher.LocalPlatform;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;

/**
 * How fast analytics-service aggregates, on a fresh platform:
 * <ol>
 *   <li><b>Throughput.</b> BENCH_EVENTS (default 20,000) realistic events, half {@code usage.recorded.v1} and half
 *       {@code llm-call.recorded.v1} (one of each per simulated request, over 500 accounts, three models, a third
 *       of the calls tagged with a flag variant), are published straight to Kafka with the CloudEvents headers the
 *       kit's outbox relay writes; the clock stops when analytics' {@code events} report counts them all.
 *       Prints events aggregated per second.</li>
 *   <li><b>Freshness.</b> BENCH_REQUESTS (default 200) sequential chat requests through the gateway; after each
 *       answer the {@code usage} report is polled every BENCH_POLL_MS (default 10) ms until it counts the request.
 *       Prints p50/p95/p99 of the delay from the answer to its appearance in the aggregates (chat-service's outbox
 *       relay, Kafka, analytics' consumer and its transaction).</li>
 * </ol>
 * The analytics API is read through the gateway with the admin key. Run with
 * {@code ./mvnw -Pbench -pl bench verify -Dbench.class=dev.chatplatform.bench.AnalyticsBenchmark} after an install.
 */
public final class AnalyticsBenchmark {

    private static final String CHAT_BODY = """
            {"model":"sim-1","messages":[{"role":"user","content":"How fresh are the analytics?"}],"max_tokens":16}""";
    private static final List<String> MODELS = List.of("sim-1", "sim-1-mini", "gpt-4o-mini");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AnalyticsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(System.getenv().getOrDefault("BENCH_EVENTS", "20000"));
        int requests = Integer.parseInt(System.getenv().getOrDefault("BENCH_REQUESTS", "200"));
        long pollMs = Long.parseLong(System.getenv().getOrDefault("BENCH_POLL_MS", "10"));
        Map<String, String> env = BenchPlatform.environment();

        try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env)) {
            platform.liftFreeTierLimits(); // measure the platform, not the free tier's quotas
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Analytics analytics = new Analytics(http, platform.gatewayUrl(), platform.adminApiKey());
            throughput(platform, analytics, events, pollMs);
            freshness(platform, http, analytics, requests, pollMs);
        }
    }

    private static void throughput(LocalPlatform platform, Analytics analytics, int events, long pollMs) throws Exception {
        int requests = events / 2;
        long before = analytics.eventCount();
        Random random = new Random(42);
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            Future<?> last = null;
            for (int i = 0; i < requests; i++) {
                String account = "bench-account-" + random.nextInt(500);
                String model = MODELS.get(random.nextInt(MODELS.size()));
                String provider = model.startsWith("sim") ? "simulated" : "openai";
                String requestId = RequestIds.mint();
                Instant at = Instant.now();
                long input = 20 + random.nextInt(2000);
                long output = 5 + random.nextInt(800);
                long cost = (input * 150 + output * 600) / 1000;
                long latency = 200 + (long) Math.abs(random.nextGaussian() * 900);
                long ttft = 50 + random.nextInt(300);
                boolean failed = random.nextInt(50) == 0;
                UsageRecorded usage = new UsageRecorded(requestId, account, "k_bench", model, provider, input, 0, output,
                        cost, false, failed ? UsageRecorded.Outcome.UPSTREAM_ERROR : UsageRecorded.Outcome.COMPLETED, true,
                        latency, ttft, at);
                Map<String, String> variants = i % 3 == 0
                        ? Map.of("provider.weighted-routing", random.nextBoolean() ? "on" : "off") : Map.of();
                LlmCallRecorded call = new LlmCallRecorded(requestId, account, 1, provider, model, model,
                        failed ? LlmCallRecorded.Outcome.ERROR : LlmCallRecorded.Outcome.SUCCESS,
                        failed ? "server_error" : null, latency, ttft, input, 0, output, cost, false, variants, at);
                send(producer, UsageRecorded.TYPE, requestId, account, usage, "chat-service");
                last = send(producer, LlmCallRecorded.TYPE, requestId + ":1", account, call, "provider-service");
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
        double published = (System.nanoTime() - start) / 1e9;
        long target = before + 2L * requests;
        long seen;
        while ((seen = analytics.eventCount()) < target) {
            Thread.sleep(pollMs * 10);
        }
        double aggregated = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nAggregation throughput: %d events (%d usage.recorded.v1 + %d llm-call.recorded.v1)%n",
                2L * requests, requests, requests);
        System.out.printf("  published to Kafka in %.1f s; all aggregated after %.1f s: %.0f events/s%n",
                published, aggregated, 2L * requests / aggregated);
        if (seen > target) {
            System.out.printf("  (the events report counted %d more events than published: other traffic)%n", seen - target);
        }
    }

    private static void freshness(LocalPlatform platform, HttpClient http, Analytics analytics, int requests, long pollMs)
            throws Exception {
        long[] delays = new long[requests];
        long counted = analytics.usageRequests();
        for (int i = 0; i < requests; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + platform.demoApiKey())
                    .header("Content-Type", "application/json")
                    .header(RequestIds.HEADER, RequestIds.mint())
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT_BODY))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("chat request failed with " + response.statusCode() + ": " + response.body());
            }
            while (analytics.usageRequests() <= counted) {
                Thread.sleep(pollMs);
            }
            delays[i] = System.nanoTime() - answered;
            counted++;
        }
        System.out.printf("%nFreshness: %d sequential chat requests through the gateway, polled every %d ms:%n",
                requests, pollMs);
        System.out.printf("  delay from the answer to its appearance in the usage report: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms%n%n",
                Percentiles.of(delays, 50) / 1e6, Percentiles.of(delays, 95) / 1e6, Percentiles.of(delays, 99) / 1e6);
    }

    /** Publishes one event as the kit's outbox relay does: CloudEvents binary mode, JSON value, key = account. */
    private static <T extends Record> Future<?> send(KafkaProducer<String, String> producer, EventType<T> type,
                                                      String cause, String account, T data, String source) {
        ProducerRecord<String, String> record = new ProducerRecord<>(type.topic(), account, JSON.writeValueAsString(data));
        Headers h = record.headers();
        add(h, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        add(h, CloudEventHeaders.ID, EventIds.of(type, cause));
        add(h, CloudEventHeaders.TYPE, type.name());
        add(h, CloudEventHeaders.SOURCE, source);
        add(h, CloudEventHeaders.TIME, Instant.now().toString());
        add(h, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        add(h, CloudEventHeaders.SUBJECT, account);
        return producer.send(record);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The analytics API through the gateway, over yesterday to tomorrow (UTC) as one period. */
    private record Analytics(HttpClient http, String gateway, String adminKey) {

        /** Events of usage.v1 and llm-calls.v1 counted by analytics. */
        long eventCount() throws Exception {
            long n = 0;
            for (String topic : List.of(UsageRecorded.TYPE.topic(), LlmCallRecorded.TYPE.topic())) {
                for (JsonNode row : report("events", "&topic=" + topic).path("rows")) {
                    n += row.path("events").asLong();
                }
            }
            return n;
        }

        /** Requests counted by the usage report. */
        long usageRequests() throws Exception {
            long n = 0;
            for (JsonNode row : report("usage", "").path("rows")) {
                n += row.path("requests").asLong();
            }
            return n;
        }

        private JsonNode report(String name, String filters) throws Exception {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/v1/analytics/" + name + "?from="
                            + today.minusDays(1) + "&to=" + today.plusDays(1) + "&granularity=range" + filters))
                    .header("Authorization", "Bearer " + adminKey)
                    .timeout(Duration.ofSeconds(10))
                    .GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("analytics answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }
    }
}

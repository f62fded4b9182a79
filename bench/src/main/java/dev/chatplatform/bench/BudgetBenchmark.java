package dev.chatplatform.bench;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.launcher.LocalPlatform;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 5's figures, on a fresh platform (free tier lifted, so nothing is refused):
 * <ol>
 *   <li>holds: {@code POST /api/v1/holds} straight to usage-service at 1, 16 and 64 concurrent callers, each hold then
 *       settled by its {@code usage.recorded.v1} on Kafka; holds placed per second with p50/p99, and settled per
 *       second (first event produced to every hold settled), for one hot account and for one account per caller;</li>
 *   <li>metering: {@code BENCH_EVENTS} (default 20,000) usage events produced to {@code usage.v1} as fast as Kafka
 *       takes them, timed until usage-service's consumer group has committed them all, sampling its lag;</li>
 *   <li>the budget check on a chat request: chat-service's own timer of the hold call
 *       ({@code chat_budget_hold_seconds}) next to the whole request through the gateway, sequential requests.</li>
 * </ol>
 */
public final class BudgetBenchmark {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z]+)\"");
    private static final Pattern HOLD_ID = Pattern.compile("\"holdId\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http;
    private final ExecutorService pool;
    private final LocalPlatform platform;
    private final IdentityTokens tokens;
    private final KafkaProducer<String, String> producer;
    private final String usageUrl;

    private BudgetBenchmark(LocalPlatform platform, ExecutorService pool) {
        this.platform = platform;
        this.pool = pool;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool).build();
        this.tokens = new IdentityTokens(platform.identitySecret(), Duration.ofHours(2), Clock.systemUTC(), "bench");
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        this.usageUrl = platform.usageServiceUrl();
    }

    public static void main(String[] args) throws Exception {
        int holdsPerRow = Integer.parseInt(System.getenv().getOrDefault("BENCH_HOLDS", "2000"));
        int events = Integer.parseInt(System.getenv().getOrDefault("BENCH_EVENTS", "20000"));
        int chats = Integer.parseInt(System.getenv().getOrDefault("BENCH_CHATS", "1000"));
        Map<String, String> env = BenchPlatform.environment();

        try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            platform.liftFreeTierLimits();
            BudgetBenchmark bench = new BudgetBenchmark(platform, pool);
            try {
                bench.holds(holdsPerRow);
                bench.metering(events);
                bench.budgetCheck(chats);
            } finally {
                bench.producer.close();
            }
        }
    }

    // ---- 1. holds placed and settled ------------------------------------------------------------------------

    private void holds(int perRow) throws Exception {
        placeAndSettle("warm-up", 4, 500, false);
        System.out.printf("%nHolds, POST /api/v1/holds straight to usage-service, each settled by its usage event on Kafka, %d per row:%n", perRow);
        System.out.printf("  %-22s %5s %10s %10s %10s %12s %12s%n", "accounts", "conc.", "placed/s", "place p50",
                "place p99", "settled/s", "settle p50*");
        for (boolean hot : new boolean[]{true, false}) {
            for (int concurrency : new int[]{1, 16, 64}) {
                placeAndSettle(hot ? "one hot account" : "one per caller", concurrency, perRow, true);
            }
        }
        System.out.println("  * settle p50: produce of the usage event to the hold read back as settled, polled every 2 ms"
                + " on 200 sequential holds after the row's load.");
    }

    private void placeAndSettle(String label, int concurrency, int count, boolean print) throws Exception {
        String run = "bench-" + RequestIds.mint().substring(4, 12);
        boolean hot = label.startsWith("one hot");
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<String[]> placed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger remaining = new AtomicInteger(count);
        long began = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            String account = hot ? run + "-hot" : run + "-" + w;
            workers.add(pool.submit((Callable<Void>) () -> {
                while (remaining.getAndDecrement() > 0) {
                    String requestId = RequestIds.mint();
                    long start = System.nanoTime();
                    String body = post(account, requestId);
                    latencies.add(System.nanoTime() - start);
                    placed.add(new String[]{account, requestId, match(HOLD_ID, body)});
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double placeSeconds = (System.nanoTime() - began) / 1e9;
        long settleBegan = System.nanoTime();
        for (String[] hold : placed) {
            produceUsage(hold[0], hold[1]);
        }
        producer.flush();
        for (String[] hold : placed) {
            awaitSettled(hold[0], hold[2]);
        }
        double settleSeconds = (System.nanoTime() - settleBegan) / 1e9;
        if (!print) {
            return;
        }
        long[] settle = new long[200];
        for (int i = 0; i < settle.length; i++) {
            String account = hot ? run + "-hot" : run + "-" + (i % concurrency);
            String requestId = RequestIds.mint();
            String holdId = match(HOLD_ID, post(account, requestId));
            long start = System.nanoTime();
            produceUsage(account, requestId);
            producer.flush();
            awaitSettled(account, holdId);
            settle[i] = System.nanoTime() - start;
        }
        long[] place = latencies.stream().mapToLong(Long::longValue).toArray();
        System.out.printf("  %-22s %5d %10.0f %8.2fms %8.2fms %12.0f %10.2fms%n", label, concurrency, count / placeSeconds,
                Percentiles.of(place, 50) / 1e6, Percentiles.of(place, 99) / 1e6, count / settleSeconds,
                Percentiles.of(settle, 50) / 1e6);
    }

    private String post(String account, String requestId) throws Exception {
        String body = """
                {"requestId":"%s","model":"sim-1","promptTokens":40,"maxTokens":64,\
                "inputPriceMicroUsdPerMillion":100000,"outputPriceMicroUsdPerMillion":400000}""".formatted(requestId);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(usageUrl + "/api/v1/holds"))
                .header("X-Platform-Identity", identity(account)).header("Content-Type", "application/json")
                .header(RequestIds.HEADER, requestId)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("hold answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void awaitSettled(String account, String holdId) throws Exception {
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(usageUrl + "/api/v1/holds/" + holdId))
                    .header("X-Platform-Identity", identity(account)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && "settled".equals(match(STATUS, response.body()))) {
                return;
            }
            Thread.sleep(2);
        }
    }

    // ---- 2. metering throughput and consumer lag ------------------------------------------------------------

    private void metering(int count) throws Exception {
        String run = "meter-" + RequestIds.mint().substring(4, 12);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers()))) {
            long began = System.nanoTime();
            for (int i = 0; i < count; i++) {
                produceUsage(run + "-" + (i % 100), RequestIds.mint());
            }
            producer.flush();
            double produced = (System.nanoTime() - began) / 1e9;
            long maxLag = 0;
            long lag;
            while ((lag = lag(admin)) > 0) {
                maxLag = Math.max(maxLag, lag);
                Thread.sleep(100);
            }
            double metered = (System.nanoTime() - began) / 1e9;
            System.out.printf("%nMetering, %d usage.recorded.v1 events over 100 accounts produced to usage.v1 (3 partitions):%n", count);
            System.out.printf("  produced in %.2f s (%.0f events/s); all metered (consumer group usage-service.ledger lag 0) after %.2f s:"
                    + " %.0f events/s end to end, highest lag sampled %d events%n", produced, count / produced, metered,
                    count / metered, maxLag);
        }
    }

    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("usage-service.ledger")
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            latest.put(new TopicPartition(UsageRecorded.TYPE.topic(), p), OffsetSpec.latest());
        }
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += end.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    // ---- 3. the budget check on a chat request --------------------------------------------------------------

    private void budgetCheck(int count) throws Exception {
        String body = """
                {"model":"sim-1","max_tokens":32,"messages":[{"role":"user","content":"Say something short."}]}""";
        for (int i = 0; i < 200; i++) {
            chat(body);
        }
        Map<Double, Double> before = holdBuckets();
        long[] totals = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            chat(body);
            totals[i] = System.nanoTime() - start;
        }
        Map<Double, Double> after = holdBuckets();
        double calls = after.get(Double.POSITIVE_INFINITY) - before.get(Double.POSITIVE_INFINITY);
        double mean = Arrays.stream(totals).average().orElse(0) / 1e6;
        System.out.printf("%nBudget check on a chat request, %d sequential non-streamed requests through the gateway (sim-1, zero delay):%n", count);
        System.out.printf("  whole request: p50 %.2f ms, p99 %.2f ms, mean %.2f ms%n", Percentiles.of(totals, 50) / 1e6,
                Percentiles.of(totals, 99) / 1e6, mean);
        System.out.printf("  of which the hold call to usage-service (chat-service's chat_budget_hold_seconds, %.0f calls):"
                + " p50 <= %.2f ms, p99 <= %.2f ms (histogram bucket bounds)%n", calls,
                bucketPercentile(before, after, 0.50) * 1000, bucketPercentile(before, after, 0.99) * 1000);
    }

    /** The upper bound of the histogram bucket that holds the {@code q}-quantile of the calls between two scrapes. */
    private static double bucketPercentile(Map<Double, Double> before, Map<Double, Double> after, double q) {
        double total = after.get(Double.POSITIVE_INFINITY) - before.get(Double.POSITIVE_INFINITY);
        return after.keySet().stream().sorted()
                .filter(le -> after.get(le) - before.getOrDefault(le, 0.0) >= q * total)
                .findFirst().orElse(Double.POSITIVE_INFINITY);
    }

    /** Cumulative counts of chat-service's hold timer histogram, by upper bound in seconds. */
    private Map<Double, Double> holdBuckets() throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(platform.chatServiceUrl() + "/actuator/prometheus"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<Double, Double> buckets = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^chat_budget_hold_seconds_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)")
                .matcher(metrics);
        while (m.find()) {
            buckets.put(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2)));
        }
        if (!buckets.containsKey(Double.POSITIVE_INFINITY)) {
            throw new IllegalStateException("chat_budget_hold_seconds_bucket is not in chat-service's metrics");
        }
        return buckets;
    }

    private void chat(String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + platform.demoApiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("chat answered " + response.statusCode() + ": " + response.body());
        }
    }

    // ---- shared ---------------------------------------------------------------------------------------------

    private void produceUsage(String account, String requestId) {
        Instant now = Instant.now();
        String json = """
                {"requestId":"%s","accountId":"%s","apiKeyId":"bench","model":"sim-1","provider":"simulated",\
                "inputTokens":40,"cachedInputTokens":0,"outputTokens":50,"costMicroUsd":24,"estimated":false,\
                "outcome":"COMPLETED","streamed":false,"latencyMs":5,"timeToFirstTokenMs":null,"occurredAt":"%s"}"""
                .formatted(requestId, account, now);
        ProducerRecord<String, String> record = new ProducerRecord<>(UsageRecorded.TYPE.topic(), account, json);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, EventIds.of(UsageRecorded.TYPE, requestId));
        header(record, CloudEventHeaders.TYPE, UsageRecorded.TYPE.name());
        header(record, CloudEventHeaders.SOURCE, "chat-service");
        header(record, CloudEventHeaders.TIME, now.toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(record, CloudEventHeaders.SUBJECT, account);
        producer.send(record);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private String identity(String account) {
        return tokens.mint(new CallerIdentity(account, "bench", Set.of(CallerIdentity.CHAT)), "usage-service");
    }

    private static String match(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + body);
        }
        return m.group(1);
    }

}

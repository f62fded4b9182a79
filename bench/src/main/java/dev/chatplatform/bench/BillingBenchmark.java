package dev.chatplatform.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chatplatform.launcher.LocalPlatform;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two figures issue 6 asks for, on a fresh platform whose billing-service runs in Stripe mode against a
 * stand-in for api.stripe.com served from this JVM (customers, portal sessions and meter events, in Stripe's
 * JSON shapes), with webhooks signed exactly as Stripe signs them ({@code Stripe-Signature: t=...,v1=HMAC-SHA256}):
 * <ol>
 *   <li><b>Webhooks per second.</b> BENCH_WEBHOOKS (default 2,000) events over BENCH_WEBHOOK_ACCOUNTS accounts
 *   (default 100): per account a {@code customer.subscription.created}, then {@code customer.subscription.updated}
 *   (price changes) and {@code invoice.paid} events, one second apart in Stripe time. BENCH_WEBHOOK_THREADS
 *   (default 8) threads POST them to {@code /webhooks/stripe} through the gateway, each account's events in order
 *   from one thread. Accepted/s counts until the last 200; processed/s until every account shows, through the API,
 *   the effect of all its events (each applied subscription event raises the subscription's {@code version} by
 *   one; each invoice appears in the account's invoice list).</li>
 *   <li><b>Tier change to enforcement.</b> The free tier may only use {@code sim-1-mini}, paid tiers any model.
 *   BENCH_TIER_CHANGES (default 50) times: a {@code customer.subscription.updated} webhook puts the account on
 *   basic, and a chat request for {@code sim-1} is sent through the gateway every BENCH_POLL_MS (default 5) ms
 *   until it is answered 200 instead of 429 {@code model_not_allowed_for_tier}; then a
 *   {@code customer.subscription.deleted} webhook drops it to free and the polls go on until {@code sim-1} is
 *   refused again. The time is from sending the webhook to the first chat answer that shows the new tier (so it
 *   includes up to one poll interval and one chat request).</li>
 * </ol>
 * Per-minute limits of every tier are lifted first, so that only the model list differs between free and paid.
 */
public final class BillingBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WEBHOOK_SECRET = "whsec_bench_" + UUID.randomUUID().toString().replace("-", "");
    private static final String PRICE_BASIC = "price_bench_basic";
    private static final String PRICE_PRO = "price_bench_pro";
    private static final Map<String, Long> UNIT_AMOUNTS = Map.of(PRICE_BASIC, 900L, PRICE_PRO, 2900L);
    private static final String CHAT_BODY = """
            {"model":"sim-1","messages":[{"role":"user","content":"Which tier am I on?"}],"max_tokens":1}""";

    private final HttpClient http;
    private final String gateway;
    private final String adminKey;
    /** Stripe event times: one second apart per event, so each is newer than the state it follows. */
    private final AtomicLong stripeClock = new AtomicLong(Instant.now().getEpochSecond() - 86_400);

    private BillingBenchmark(HttpClient http, String gateway, String adminKey) {
        this.http = http;
        this.gateway = gateway;
        this.adminKey = adminKey;
    }

    public static void main(String[] args) throws Exception {
        int webhooks = Integer.parseInt(System.getenv().getOrDefault("BENCH_WEBHOOKS", "2000"));
        int accounts = Integer.parseInt(System.getenv().getOrDefault("BENCH_WEBHOOK_ACCOUNTS", "100"));
        int threads = Integer.parseInt(System.getenv().getOrDefault("BENCH_WEBHOOK_THREADS", "8"));
        int tierChanges = Integer.parseInt(System.getenv().getOrDefault("BENCH_TIER_CHANGES", "50"));
        long pollMillis = Long.parseLong(System.getenv().getOrDefault("BENCH_POLL_MS", "5"));

        try (StripeStandIn stripe = StripeStandIn.start();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, String> env = BenchPlatform.environment();
            env.put("STRIPE_SECRET_KEY", "sk_test_bench");
            env.put("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
            env.put("STRIPE_API_BASE", stripe.url());
            env.put("STRIPE_PRICE_BASIC", PRICE_BASIC);
            env.put("STRIPE_PRICE_PRO", PRICE_PRO);
            env.remove("STRIPE_PRICE_ENTERPRISE");
            env.remove("STRIPE_PRICE_METERED");
            try (LocalPlatform platform = LocalPlatform.startFromEnvironment(env)) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool).build();
                BillingBenchmark bench = new BillingBenchmark(http, platform.gatewayUrl(), platform.adminApiKey());
                bench.liftTierLimits();
                bench.webhookThroughput(pool, webhooks, accounts, threads);
                bench.tierChangeLatency(tierChanges, pollMillis);
            }
        }
    }

    // ---- (a) webhooks per second ----

    private void webhookThroughput(ExecutorService pool, int total, int accountCount, int threads) throws Exception {
        int perAccount = Math.max(2, (total + accountCount - 1) / accountCount);
        List<BenchAccount> accounts = new ArrayList<>();
        for (int i = 0; i < accountCount; i++) {
            accounts.add(createAccount("webhooks-" + i));
        }
        List<List<String>> events = new ArrayList<>(); // per account, in Stripe time order
        List<Expectation> expectations = new ArrayList<>();
        long base = stripeClock.getAndAdd(perAccount + 1L);
        int subscriptionEvents = 0;
        int invoiceEvents = 0;
        for (BenchAccount account : accounts) {
            List<String> own = new ArrayList<>();
            String subscriptionId = "sub_bench_" + account.id().replace("-", "").substring(0, 16);
            int invoices = 0;
            for (int i = 0; i < perAccount; i++) {
                long created = base + i;
                String price = i % 4 == 3 ? PRICE_PRO : PRICE_BASIC;
                if (i == 0) {
                    own.add(event("customer.subscription.created", created,
                            subscription(subscriptionId, account, price, "incomplete", created)));
                } else if (i % 3 == 2) {
                    own.add(event("invoice.paid", created, invoice("in_bench_" + UUID.randomUUID().toString()
                            .replace("-", "").substring(0, 20), account, subscriptionId, price, created)));
                    invoices++;
                } else {
                    own.add(event("customer.subscription.updated", created,
                            subscription(subscriptionId, account, price, "active", created)));
                }
            }
            // every subscription event is newer than the last, so each one raises the version by one
            expectations.add(new Expectation(account, perAccount - invoices, invoices));
            subscriptionEvents += perAccount - invoices;
            invoiceEvents += invoices;
            events.add(own);
        }
        int sent = subscriptionEvents + invoiceEvents;

        AtomicInteger refused = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            senders.add(pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < perAccount; i++) {
                    for (int a = first; a < accounts.size(); a += threads) {
                        HttpResponse<String> response = webhook(events.get(a).get(i));
                        if (response.statusCode() != 200 || !response.body().contains("\"duplicate\":false")) {
                            refused.incrementAndGet();
                            System.err.println("webhook answered " + response.statusCode() + ": " + response.body());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> sender : senders) {
            sender.get();
        }
        long accepted = System.nanoTime() - start;
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " of " + sent + " webhooks were not accepted");
        }
        awaitProcessed(expectations, Duration.ofMinutes(10));
        long processed = System.nanoTime() - start;

        System.out.printf("%nStripe webhooks through the gateway: %d signed events (%d subscription, %d invoice.paid) "
                + "for %d accounts, %d sender threads%n", sent, subscriptionEvents, invoiceEvents, accounts.size(), threads);
        System.out.printf("  accepted (verified, stored, answered 200):   %6.2f s  %8.0f webhooks/s%n",
                accepted / 1e9, sent / (accepted / 1e9));
        System.out.printf("  processed (every effect visible in the API): %6.2f s  %8.0f webhooks/s%n",
                processed / 1e9, sent / (processed / 1e9));
    }

    /** Polls each account until its subscription version and invoice count show every one of its events. */
    private void awaitProcessed(List<Expectation> expectations, Duration within) throws Exception {
        List<Expectation> pending = new ArrayList<>(expectations);
        Instant deadline = Instant.now().plus(within);
        while (!pending.isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(pending.size() + " accounts did not show all their events within "
                        + within + ", e.g. " + pending.getFirst().account().id());
            }
            List<Expectation> still = new ArrayList<>();
            for (Expectation expected : pending) {
                BenchAccount account = expected.account();
                JsonNode subscription = getJson("/api/v1/admin/accounts/" + account.id() + "/subscription", adminKey);
                boolean done = subscription.path("version").asLong() == expected.subscriptionVersion()
                        && getJson("/api/v1/billing/invoices", account.key()).path("data").size() == expected.invoices();
                if (!done) {
                    still.add(expected);
                }
            }
            pending = still;
            if (!pending.isEmpty()) {
                Thread.sleep(20);
            }
        }
    }

    // ---- (b) from a tier-change webhook to its enforcement on a chat request ----

    private void tierChangeLatency(int repetitions, long pollMillis) throws Exception {
        BenchAccount account = createAccount("tier-changes");
        awaitLiftedLimits(account);
        long[] upgrades = new long[repetitions];
        long[] downgrades = new long[repetitions];
        for (int r = 0; r < repetitions; r++) {
            String subscriptionId = "sub_bench_tier_" + r + "_" + UUID.randomUUID().toString().substring(0, 8);
            long created = stripeClock.incrementAndGet();
            String upgrade = event("customer.subscription.updated", created,
                    subscription(subscriptionId, account, PRICE_BASIC, "active", created));
            upgrades[r] = untilChatAnswers(account, upgrade, 200, pollMillis);

            created = stripeClock.incrementAndGet();
            ObjectNode ended = subscription(subscriptionId, account, PRICE_BASIC, "canceled", created);
            ended.put("canceled_at", created).put("ended_at", created);
            downgrades[r] = untilChatAnswers(account, event("customer.subscription.deleted", created, ended), 429,
                    pollMillis);
        }
        System.out.printf("%nFrom a Stripe webhook to the new tier at a chat request through the gateway "
                + "(%d repetitions, a chat request every %d ms; free may use sim-1-mini only, basic any model):%n",
                repetitions, pollMillis);
        System.out.printf("  %-62s %8s %8s %8s%n", "change", "p50 ms", "p99 ms", "max ms");
        print("upgrade free -> basic (customer.subscription.updated)", upgrades);
        print("downgrade basic -> free (customer.subscription.deleted)", downgrades);
    }

    /**
     * Sends the webhook, then a chat request for {@code sim-1} every {@code pollMillis} until it is answered with
     * {@code wanted} (200, or 429 {@code model_not_allowed_for_tier}); returns nanoseconds from sending the webhook
     * to that answer.
     */
    private long untilChatAnswers(BenchAccount account, String webhook, int wanted, long pollMillis) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> delivered = webhook(webhook);
        if (delivered.statusCode() != 200) {
            throw new IllegalStateException("webhook answered " + delivered.statusCode() + ": " + delivered.body());
        }
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + account.key()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT_BODY)).build(), HttpResponse.BodyHandlers.ofString());
            boolean modelRefused = chat.statusCode() == 429 && chat.body().contains("\"model_not_allowed_for_tier\"");
            if (chat.statusCode() != 200 && !modelRefused) {
                throw new IllegalStateException("chat request answered " + chat.statusCode() + ": " + chat.body());
            }
            if (chat.statusCode() == wanted) {
                return System.nanoTime() - start;
            }
            Thread.sleep(pollMillis);
        }
        throw new IllegalStateException("the tier change was not enforced within 60 s");
    }

    // ---- platform set-up through its APIs ----

    /**
     * Every tier's limits far above what the benchmark sends, so nothing but the model list tells free from basic:
     * free may use {@code sim-1-mini} only, the paid tiers any model.
     */
    private void liftTierLimits() throws Exception {
        for (String tier : List.of("free", "basic", "pro", "enterprise")) {
            Map<String, Object> limits = new LinkedHashMap<>();
            limits.put("messagesPerDay", 100_000_000L);
            limits.put("tokensPerMonth", 100_000_000_000L);
            limits.put("costMicroUsdPerMonth", 100_000_000_000L);
            limits.put("requestsPerMinute", 1_000_000L);
            limits.put("tokensPerMinute", 1_000_000_000L);
            limits.put("allowedModels", tier.equals("free") ? List.of("sim-1-mini") : List.of("*"));
            call("PUT", "/api/v1/usage/admin/tiers/" + tier, adminKey, limits);
        }
    }

    /**
     * A new account with a chat key the gateway accepts, whose Stripe customer is recorded: the Customer Portal
     * call creates it at once when the creation job has not run yet (same idempotency key, same customer).
     */
    private BenchAccount createAccount(String name) throws Exception {
        JsonNode account = call("POST", "/api/v1/admin/accounts", adminKey,
                Map.of("email", name + "-" + UUID.randomUUID() + "@bench.invalid", "name", name));
        String id = account.path("id").asString();
        String key = call("POST", "/api/v1/admin/accounts/" + id + "/api-keys", adminKey,
                Map.of("name", "bench", "scopes", List.of("chat", "account"))).path("key").asString();
        Instant deadline = Instant.now().plusSeconds(30);
        while (send("GET", "/api/v1/accounts/me", key, null).statusCode() != 200) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the gateway did not accept the key of " + id + " within 30 s");
            }
            Thread.sleep(20);
        }
        call("POST", "/api/v1/billing/portal", key, Map.of());
        return new BenchAccount(id, key, StripeStandIn.customerId(id));
    }

    /** Waits until usage-service, and after it the gateway, hold the lifted limits for the account. */
    private void awaitLiftedLimits(BenchAccount account) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (getJson("/api/v1/usage/me", account.key()).path("quota").path("requestsPerMinute").asLong() != 1_000_000L) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the lifted limits did not reach the account within 30 s");
            }
            Thread.sleep(50);
        }
        Thread.sleep(500); // the gateway's view of quota.v1 follows the same event
    }

    // ---- Stripe events, shaped as Stripe sends them (API 2025-08-27.basil) ----

    private static String event(String type, long created, ObjectNode object) {
        ObjectNode event = JSON.createObjectNode().put("id", "evt_bench_" + UUID.randomUUID().toString().replace("-", ""))
                .put("object", "event").put("api_version", "2025-08-27.basil").put("created", created)
                .put("livemode", false).put("pending_webhooks", 1).put("type", type);
        event.putObject("data").set("object", object);
        event.putObject("request").putNull("id").putNull("idempotency_key");
        return JSON.writeValueAsString(event);
    }

    private static ObjectNode subscription(String id, BenchAccount account, String price, String status, long created) {
        ObjectNode sub = JSON.createObjectNode().put("id", id).put("object", "subscription")
                .put("customer", account.customerId()).put("status", status).put("currency", "usd")
                .put("cancel_at_period_end", false).put("collection_method", "charge_automatically")
                .put("created", created).put("start_date", created).put("livemode", false);
        ObjectNode item = sub.putObject("items").put("object", "list").put("has_more", false)
                .putArray("data").addObject()
                .put("id", "si_" + id.substring(4)).put("object", "subscription_item").put("quantity", 1)
                .put("subscription", id).put("created", created)
                .put("current_period_start", created).put("current_period_end", created + 30L * 86_400);
        ObjectNode priceNode = item.putObject("price").put("id", price).put("object", "price").put("active", true)
                .put("billing_scheme", "per_unit").put("currency", "usd").put("livemode", false).put("type", "recurring")
                .put("unit_amount", UNIT_AMOUNTS.get(price)).put("unit_amount_decimal", UNIT_AMOUNTS.get(price).toString());
        priceNode.putObject("recurring").put("interval", "month").put("interval_count", 1).put("usage_type", "licensed");
        sub.putObject("metadata").put("account_id", account.id());
        return sub;
    }

    private static ObjectNode invoice(String id, BenchAccount account, String subscriptionId, String price, long created) {
        long amount = UNIT_AMOUNTS.get(price);
        ObjectNode invoice = JSON.createObjectNode().put("id", id).put("object", "invoice")
                .put("customer", account.customerId()).put("currency", "usd").put("status", "paid")
                .put("amount_due", amount).put("amount_paid", amount).put("amount_remaining", 0).put("attempt_count", 1)
                .put("billing_reason", "subscription_cycle").put("collection_method", "charge_automatically")
                .put("hosted_invoice_url", "https://invoice.stripe.com/i/acct_bench/" + id).put("created", created)
                .put("period_start", created - 30L * 86_400).put("period_end", created).put("livemode", false);
        invoice.putObject("parent").put("type", "subscription_details")
                .putObject("subscription_details").put("subscription", subscriptionId);
        ObjectNode line = invoice.putObject("lines").put("object", "list").put("has_more", false).putArray("data").addObject()
                .put("id", "il_" + id.substring(3)).put("object", "line_item").put("amount", amount).put("currency", "usd");
        line.putObject("period").put("start", created - 30L * 86_400).put("end", created);
        return invoice;
    }

    /** POSTs a webhook to the gateway signed as Stripe signs it: HMAC-SHA256 of {@code t.payload}, hex, as v1. */
    private HttpResponse<String> webhook(String payload) throws Exception {
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((t + "." + payload).getBytes(StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(URI.create(gateway + "/webhooks/stripe"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", "t=" + t + ",v1=" + signature)
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- HTTP helpers ----

    private JsonNode getJson(String path, String key) throws Exception {
        HttpResponse<String> response = send("GET", path, key, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A call that must succeed (any 2xx); its JSON answer. */
    private JsonNode call(String method, String path, String key, Object body) throws Exception {
        HttpResponse<String> response = send(method, path, key, body);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String key, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void print(String label, long[] nanos) {
        System.out.printf("  %-62s %8.1f %8.1f %8.1f%n", label, Percentiles.of(nanos, 50) / 1e6, Percentiles.of(nanos, 99) / 1e6,
                Arrays.stream(nanos).max().orElse(0) / 1e6);
    }


    /** An account made for the benchmark: its id, a chat key, and the Stripe customer the stand-in gave it. */
    private record BenchAccount(String id, String key, String customerId) {
    }

    /** What an account shows once every one of its webhooks is processed. */
    private record Expectation(BenchAccount account, long subscriptionVersion, long invoices) {
    }

    /**
     * The few Stripe API calls billing-service makes here, answered from a JDK HTTP server with Stripe's JSON
     * shapes: customers (one per account, its id derived from the account id, so repeated calls give the same
     * customer as Stripe's idempotency keys would), Customer Portal sessions and Billing Meter events.
     */
    private static final class StripeStandIn implements AutoCloseable {

        private final HttpServer server;
        private final AtomicLong ids = new AtomicLong();

        private StripeStandIn(HttpServer server) {
            this.server = server;
        }

        static StripeStandIn start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            StripeStandIn stripe = new StripeStandIn(server);
            server.createContext("/", exchange -> {
                try (exchange) {
                    stripe.handle(exchange);
                }
            });
            server.start();
            return stripe;
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort();
        }

        static String customerId(String accountId) {
            return "cus_bench" + accountId.replace("-", "").substring(0, 20);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            long now = Instant.now().getEpochSecond();
            ObjectNode body = JSON.createObjectNode();
            if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/customers")) {
                String accountId = form.getOrDefault("metadata[account_id]", UUID.randomUUID().toString());
                body.put("id", customerId(accountId)).put("object", "customer").put("email", form.get("email"))
                        .put("created", now).put("livemode", false).putObject("metadata").put("account_id", accountId);
            } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/billing_portal/sessions")) {
                String id = "bps_bench" + ids.incrementAndGet();
                body.put("id", id).put("object", "billing_portal.session").put("customer", form.get("customer"))
                        .put("return_url", form.get("return_url")).put("url", "https://billing.stripe.com/p/session/" + id)
                        .put("created", now).put("livemode", false);
            } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/billing/meter_events")) {
                body.put("object", "billing.meter_event").put("created", now).put("event_name", form.get("event_name"))
                        .put("identifier", form.get("identifier")).put("livemode", false)
                        .put("timestamp", Long.parseLong(form.getOrDefault("timestamp", Long.toString(now))));
                body.putObject("payload").put("stripe_customer_id", form.get("payload[stripe_customer_id]"))
                        .put("value", form.get("payload[value]"));
            } else {
                body.putObject("error").put("type", "invalid_request_error")
                        .put("message", "Unrecognized request URL (" + exchange.getRequestMethod() + ": " + path + ").");
                send(exchange, 404, body);
                return;
            }
            send(exchange, 200, body);
        }

        private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Request-Id", "req_bench");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        private static Map<String, String> form(String body) {
            Map<String, String> form = new HashMap<>();
            for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return form;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}

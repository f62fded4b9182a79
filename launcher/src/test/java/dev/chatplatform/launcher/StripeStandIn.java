package dev.chatplatform.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Stripe in front of a whole platform: the API billing-service calls (customers, Checkout and Portal
 * sessions, prices, subscriptions, meter events; JSON as Stripe shapes it, a repeated Idempotency-Key replays the
 * first answer) and the two pages Stripe hosts for people. The hosted Checkout page (the session's {@code url}) has a
 * Pay button: paying creates the subscription, delivers {@code checkout.session.completed},
 * {@code customer.subscription.created} and {@code invoice.paid} to the platform's public webhook route, signed with
 * the webhook secret exactly as Stripe signs them, and then sends the browser to the session's {@code success_url}.
 * The hosted Portal page links back to the session's {@code return_url}.
 * <p>
 * Its prices ({@link #PRICES}): {@code price_basic} 9.00 USD a month, {@code price_pro} 29.00 USD a month,
 * {@code price_enterprise} 1,200.00 USD a year.
 */
final class StripeStandIn implements AutoCloseable {

    static final String SECRET_KEY = "sk_test_standin";
    static final String WEBHOOK_SECRET = "whsec_standin_console";
    static final Map<String, Long> PRICES = Map.of("price_basic", 900L, "price_pro", 2900L, "price_enterprise", 120_000L);

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> subscriptions = new ConcurrentHashMap<>();
    /** The price each Checkout session sells (Stripe keeps it in the session's line items). */
    private final Map<String, String> prices = new ConcurrentHashMap<>();
    private final Map<String, String> idempotent = new ConcurrentHashMap<>();
    /** E-mails whose next customer creation is refused (400), and the customers created per e-mail. */
    private final Set<String> refusedCustomers = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> customersByEmail = new ConcurrentHashMap<>();
    private final String webhookUrl;

    /** @param webhookUrl where Stripe would deliver events: the platform's {@code /webhooks/stripe} */
    StripeStandIn(String webhookUrl) {
        this.webhookUrl = webhookUrl;
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            } catch (RuntimeException e) {
                e.printStackTrace();
                throw e;
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // billing may call while a Pay is delivering
        server.start();
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** The message of the 400 Stripe answers when it refuses a customer ({@link #refuseNextCustomer}). */
    static final String REFUSAL = "The stand-in refuses this customer once, as the test asked";

    /**
     * Refuses the next customer creation for {@code email} with a 400 {@code invalid_request_error}, as Stripe refuses
     * a call for good: billing parks that customer job at once. Later calls succeed.
     */
    void refuseNextCustomer(String email) {
        refusedCustomers.add(email);
    }

    /** How many customers were created with {@code email}. */
    int customersCreated(String email) {
        AtomicInteger n = customersByEmail.get(email);
        return n == null ? 0 : n.get();
    }

    /** The environment that puts billing-service in Stripe mode against this stand-in, coming back to {@code gateway}. */
    Map<String, String> billingEnvironment(String gateway) {
        return Map.of("STRIPE_SECRET_KEY", SECRET_KEY, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET, "STRIPE_API_BASE", url(),
                "STRIPE_PRICE_BASIC", "price_basic", "STRIPE_PRICE_PRO", "price_pro",
                "STRIPE_PRICE_ENTERPRISE", "price_enterprise",
                "STRIPE_CHECKOUT_SUCCESS_URL", gateway + "/billing/success",
                "STRIPE_CHECKOUT_CANCEL_URL", gateway + "/billing/cancel",
                "STRIPE_PORTAL_RETURN_URL", gateway + "/billing");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        exchange.getResponseHeaders().set("Request-Id", "req_standin");
        Map<String, String> form = StandInHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (path.startsWith("/c/pay/") || path.startsWith("/p/session/") || path.startsWith("/i/")) {
            hostedPage(exchange, method, path);
            return;
        }
        if (method.equals("POST") && path.equals("/v1/customers") && refusedCustomers.remove(String.valueOf(form.get("email")))) {
            StandInHttp.send(exchange, 400, "application/json", "{\"error\":{\"type\":\"invalid_request_error\","
                    + "\"code\":\"parameter_invalid\",\"param\":\"email\",\"message\":\"" + REFUSAL + "\"}}");
            return;
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        String replay = key == null ? null : idempotent.get(method + path + key);
        String body = replay != null ? replay : api(method, path, form);
        if (body == null) {
            StandInHttp.send(exchange, 404, "application/json",
                    "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such resource: " + path + "\"}}");
            return;
        }
        if (key != null) {
            idempotent.putIfAbsent(method + path + key, body);
        }
        StandInHttp.send(exchange, 200, "application/json", body);
    }

    private String api(String method, String path, Map<String, String> form) {
        int n = ids.incrementAndGet();
        long now = Instant.now().getEpochSecond();
        if (method.equals("POST") && path.equals("/v1/customers")) {
            ObjectNode c = json.createObjectNode();
            c.put("id", "cus_standin" + n).put("object", "customer").put("email", form.get("email")).put("created", now)
                    .put("livemode", false).putObject("metadata").put("account_id", form.get("metadata[account_id]"));
            customersByEmail.computeIfAbsent(String.valueOf(form.get("email")), e -> new AtomicInteger()).incrementAndGet();
            return c.toString();
        }
        if (method.equals("POST") && path.equals("/v1/checkout/sessions")) {
            String id = "cs_test_standin" + n;
            ObjectNode s = json.createObjectNode();
            s.put("id", id).put("object", "checkout.session").put("mode", "subscription")
                    .put("customer", form.get("customer")).put("client_reference_id", form.get("client_reference_id"))
                    .put("success_url", form.get("success_url")).put("cancel_url", form.get("cancel_url"))
                    .put("status", "open").put("payment_status", "unpaid").put("url", url() + "/c/pay/" + id)
                    .put("created", now).put("livemode", false);
            s.putObject("metadata").put("account_id", form.get("metadata[account_id]"));
            prices.put(id, form.get("line_items[0][price]"));
            sessions.put(id, s);
            return s.toString();
        }
        if (method.equals("POST") && path.equals("/v1/billing_portal/sessions")) {
            String id = "bps_standin" + n;
            ObjectNode s = json.createObjectNode();
            s.put("id", id).put("object", "billing_portal.session").put("customer", form.get("customer"))
                    .put("return_url", form.get("return_url")).put("url", url() + "/p/session/" + id)
                    .put("created", now).put("livemode", false);
            sessions.put(id, s);
            return s.toString();
        }
        if (method.equals("GET") && path.startsWith("/v1/prices/")) {
            String id = path.substring("/v1/prices/".length());
            return PRICES.containsKey(id) ? price(id).toString() : null;
        }
        if (method.equals("GET") && path.startsWith("/v1/subscriptions/")) {
            ObjectNode sub = subscriptions.get(path.substring("/v1/subscriptions/".length()));
            return sub == null ? null : sub.toString();
        }
        if (method.equals("POST") && path.equals("/v1/billing/meter_events")) {
            ObjectNode e = json.createObjectNode();
            e.put("object", "billing.meter_event").put("created", now).put("event_name", form.get("event_name"))
                    .put("identifier", form.get("identifier")).put("livemode", false)
                    .put("timestamp", Long.parseLong(form.get("timestamp")));
            e.putObject("payload").put("stripe_customer_id", form.get("payload[stripe_customer_id]"))
                    .put("value", form.get("payload[value]"));
            return e.toString();
        }
        return null;
    }

    private void hostedPage(HttpExchange exchange, String method, String path) throws IOException {
        String id = path.substring(path.lastIndexOf('/') + 1);
        ObjectNode session = sessions.get(id);
        if (path.startsWith("/i/")) {
            StandInHttp.send(exchange, 200, "text/html", page("Invoice " + id, "<p>Paid.</p>"));
        } else if (session == null) {
            StandInHttp.send(exchange, 404, "text/html", page("Not found", "<p>No such session.</p>"));
        } else if (path.startsWith("/p/session/")) {
            StandInHttp.send(exchange, 200, "text/html", page("Billing portal (Stripe stand-in)",
                    "<p>Customer " + session.path("customer").asString() + "</p><p><a href=\""
                            + session.path("return_url").asString() + "\">Return to chat-platform</a></p>"));
        } else if (method.equals("GET")) {
            String price = prices.get(id);
            StandInHttp.send(exchange, 200, "text/html", page("Checkout (Stripe stand-in)",
                    "<p>Subscribe to <strong id=\"price\">" + price + "</strong>: " + PRICES.get(price) + " USD cents</p>"
                            + "<form method=\"post\"><button type=\"submit\">Pay</button></form>"
                            + "<p><a href=\"" + session.path("cancel_url").asString() + "\">Cancel</a></p>"));
        } else {
            pay(session, prices.get(id));
            exchange.getResponseHeaders().set("Location",
                    session.path("success_url").asString().replace("{CHECKOUT_SESSION_ID}", id));
            exchange.sendResponseHeaders(303, -1);
        }
    }

    /** What Stripe does when a person pays: the subscription exists, and the platform hears of it by webhook. */
    private void pay(ObjectNode session, String price) {
        long now = Instant.now().getEpochSecond();
        String accountId = session.path("metadata").path("account_id").asString();
        String customer = session.path("customer").asString();
        String subId = "sub_standin" + ids.incrementAndGet();
        ObjectNode sub = json.createObjectNode();
        sub.put("id", subId).put("object", "subscription").put("customer", customer).put("status", "active")
                .put("cancel_at_period_end", false).put("created", now).put("livemode", false);
        ObjectNode item = sub.putObject("items").put("object", "list").putArray("data").addObject();
        item.put("id", "si_" + subId.substring(4)).put("object", "subscription_item").put("quantity", 1)
                .put("current_period_start", now).put("current_period_end", now + 30L * 86_400);
        item.set("price", price(price));
        sub.putObject("metadata").put("account_id", accountId);
        subscriptions.put(subId, sub);
        session.put("status", "complete").put("payment_status", "paid").put("subscription", subId);

        ObjectNode invoice = json.createObjectNode();
        String invoiceId = "in_standin" + ids.incrementAndGet();
        invoice.put("id", invoiceId).put("object", "invoice").put("customer", customer).put("subscription", subId)
                .put("currency", "usd").put("amount_due", PRICES.get(price)).put("amount_paid", PRICES.get(price))
                .put("attempt_count", 1).put("status", "paid").put("hosted_invoice_url", url() + "/i/" + invoiceId)
                .put("period_start", now).put("period_end", now + 30L * 86_400).put("created", now);
        deliver("checkout.session.completed", session);
        deliver("customer.subscription.created", sub);
        deliver("invoice.paid", invoice);
    }

    /** Delivers one event of {@code type} about {@code object} to the platform, signed as Stripe signs it. */
    void deliver(String type, ObjectNode object) {
        long now = Instant.now().getEpochSecond();
        ObjectNode event = json.createObjectNode().put("id", "evt_standin" + ids.incrementAndGet()).put("object", "event")
                .put("api_version", "2025-08-27.basil").put("created", now).put("livemode", false)
                .put("pending_webhooks", 1).put("type", type);
        event.putObject("request").putNull("id").putNull("idempotency_key");
        event.putObject("data").set("object", object);
        String payload = event.toString();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(webhookUrl))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("Stripe-Signature", "t=" + now + ",v1=" + hmac(now + "." + payload))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the platform refused " + type + ": " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode price(String id) {
        long amount = PRICES.get(id);
        ObjectNode price = json.createObjectNode();
        price.put("id", id).put("object", "price").put("active", true).put("billing_scheme", "per_unit")
                .put("currency", "usd").put("livemode", false).put("type", "recurring").put("unit_amount", amount)
                .put("unit_amount_decimal", Long.toString(amount));
        price.putObject("recurring").put("interval", id.equals("price_enterprise") ? "year" : "month")
                .put("interval_count", 1).put("usage_type", "licensed");
        return price;
    }

    private static String hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><main><h1>"
                + title + "</h1>" + body + "</main></body></html>";
    }
}

package dev.chatplatform.billing.stripe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for api.stripe.com: answers stripe-java with the JSON shapes Stripe documents, keeps
 * subscriptions it is told about, replays the first answer for a repeated Idempotency-Key (as Stripe
 * does), records every request, and can fail the next calls to a path with 500s (which stripe-java retries) or
 * refuse them with a 400 {@code invalid_request_error} (which no retry changes). Its prices: {@code price_basic}
 * 9.00 USD a month, {@code price_pro} 29.00 USD a month, {@code price_enterprise} 1,200.05 USD a year, and any
 * other id 5.00 USD a month.
 */
public final class StripeStub {

    public record Request(String method, String path, Map<String, String> form, String idempotencyKey) {
    }

    private static final String CUSTOMERS = "/v1/customers";

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicInteger ids = new AtomicInteger();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public final Map<String, ObjectNode> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, String> idempotent = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();

    public StripeStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            }
        });
        server.start();
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    public void failNext(String path, int times) {
        failures.put(path, new AtomicInteger(times));
    }

    /** The next {@code times} calls to {@code path} get Stripe's 400 for a request that is wrong in itself. */
    public void refuseNext(String path, int times) {
        refusals.put(path, new AtomicInteger(times));
    }

    /**
     * Fails ({@link #failNext}) the next creations of the customer with this e-mail only: a test's account, not the
     * customer job of an account an earlier test created, which may still be running.
     */
    public void failNextCustomer(String email, int times) {
        failures.put(CUSTOMERS + " " + email, new AtomicInteger(times));
    }

    /** Refuses ({@link #refuseNext}) the next creations of the customer with this e-mail only. */
    public void refuseNextCustomer(String email, int times) {
        refusals.put(CUSTOMERS + " " + email, new AtomicInteger(times));
    }

    public List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    /** A price object as Stripe shapes it (per-unit, licensed, recurring). */
    public ObjectNode price(String id) {
        long amount = switch (id) {
            case "price_basic" -> 900;
            case "price_pro" -> 2900;
            case "price_enterprise" -> 120_005;
            default -> 500;
        };
        ObjectNode price = json.createObjectNode();
        price.put("id", id).put("object", "price").put("active", true).put("billing_scheme", "per_unit")
                .put("currency", "usd").put("livemode", false).put("type", "recurring").put("unit_amount", amount)
                .put("unit_amount_decimal", Long.toString(amount));
        price.putObject("recurring").put("interval", id.equals("price_enterprise") ? "year" : "month")
                .put("interval_count", 1).put("usage_type", "licensed");
        return price;
    }

    /** A subscription object as Stripe (API 2025-03-31 and later) shapes it: the period lives on the item. */
    public ObjectNode subscription(String id, String customer, String accountId, String priceId, String status,
                                   Instant periodEnd) {
        ObjectNode sub = json.createObjectNode();
        sub.put("id", id).put("object", "subscription").put("customer", customer).put("status", status)
                .put("cancel_at_period_end", false).put("created", Instant.now().getEpochSecond()).put("livemode", false);
        ObjectNode item = json.createObjectNode();
        item.put("id", "si_" + id.substring(4)).put("object", "subscription_item").put("quantity", 1)
                .put("current_period_start", periodEnd.minusSeconds(30L * 86400).getEpochSecond())
                .put("current_period_end", periodEnd.getEpochSecond());
        item.set("price", price(priceId));
        ObjectNode items = sub.putObject("items");
        items.put("object", "list");
        ((ArrayNode) items.putArray("data")).add(item);
        sub.putObject("metadata").put("account_id", accountId);
        subscriptions.put(id, sub);
        return sub;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        requests.add(new Request(method, path, form, key));
        String target = path.equals(CUSTOMERS) && form.containsKey("email") ? path + " " + form.get("email") : null;
        AtomicInteger fail = failures.getOrDefault(target == null ? path : target, failures.get(path));
        if (fail != null && fail.getAndDecrement() > 0) {
            send(exchange, 500, "{\"error\":{\"type\":\"api_error\",\"message\":\"stub failure\"}}");
            return;
        }
        AtomicInteger refuse = refusals.getOrDefault(target == null ? path : target, refusals.get(path));
        if (refuse != null && refuse.getAndDecrement() > 0) {
            send(exchange, 400, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"parameter_invalid_empty\","
                    + "\"param\":\"email\",\"message\":\"You passed an empty string for 'email'.\"}}");
            return;
        }
        if (key != null && idempotent.containsKey(method + path + key)) {
            send(exchange, 200, idempotent.get(method + path + key));
            return;
        }
        String body = answer(method, path, form);
        if (body == null) {
            send(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such resource: " + path + "\"}}");
            return;
        }
        if (key != null) {
            idempotent.put(method + path + key, body);
        }
        send(exchange, 200, body);
    }

    private String answer(String method, String path, Map<String, String> form) {
        int n = ids.incrementAndGet();
        long now = Instant.now().getEpochSecond();
        if (method.equals("POST") && path.equals("/v1/customers")) {
            ObjectNode c = json.createObjectNode();
            c.put("id", "cus_test" + n).put("object", "customer").put("email", form.get("email")).put("created", now)
                    .put("livemode", false).putObject("metadata").put("account_id", form.get("metadata[account_id]"));
            return c.toString();
        }
        if (method.equals("POST") && path.equals("/v1/checkout/sessions")) {
            ObjectNode s = json.createObjectNode();
            s.put("id", "cs_test_" + n).put("object", "checkout.session").put("mode", "subscription")
                    .put("customer", form.get("customer")).put("client_reference_id", form.get("client_reference_id"))
                    .put("status", "open").put("url", "https://checkout.stripe.com/c/pay/cs_test_" + n).put("created", now);
            return s.toString();
        }
        if (method.equals("POST") && path.equals("/v1/billing_portal/sessions")) {
            ObjectNode s = json.createObjectNode();
            s.put("id", "bps_" + n).put("object", "billing_portal.session").put("customer", form.get("customer"))
                    .put("return_url", form.get("return_url")).put("url", "https://billing.stripe.com/p/session/test_" + n)
                    .put("created", now);
            return s.toString();
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
        if (method.equals("GET") && path.startsWith("/v1/prices/")) {
            return price(path.substring("/v1/prices/".length())).toString();
        }
        if (path.startsWith("/v1/subscriptions/")) {
            ObjectNode sub = subscriptions.get(path.substring("/v1/subscriptions/".length()));
            if (sub == null) {
                return null;
            }
            if (method.equals("POST")) {
                if (form.containsKey("items[0][price]")) {
                    ((ObjectNode) sub.path("items").path("data").get(0)).set("price", price(form.get("items[0][price]")));
                }
                if (form.containsKey("cancel_at_period_end")) {
                    sub.put("cancel_at_period_end", Boolean.parseBoolean(form.get("cancel_at_period_end")));
                }
            } else if (method.equals("DELETE")) {
                sub.put("status", "canceled").put("canceled_at", now).put("ended_at", now);
            }
            return sub.toString();
        }
        return null;
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_stub");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

package dev.chatplatform.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.testkit.TestIdentities;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Stands in for provider-service, speaking its wire format (OpenAI Chat Completions plus {@code x_platform}):
 * prompt 12 tokens (2 cached), priced like sim-1 ($0.50 in, $0.25 cached, $1.50 out per million tokens).
 * The model name chooses the behaviour: {@code sim-1} answers 5 tokens; {@code sim-slow} streams 200 tokens
 * 30 ms apart; {@code sim-cut} stops a stream after 3 tokens without [DONE]; {@code sim-fails-late} starts a stream,
 * then after {@link #FAILS_LATE_MS} ends it with an error event and nothing consumed; {@code sim-busy} is refused
 * before any output, streamed or not, as provider-service refuses when every deployment is at its concurrency limit
 * (429 {@code concurrency_limited}, {@code Retry-After: 1}), {@code sim-unavailable} as when every deployment's
 * circuit breaker is open (503 {@code upstream_unavailable}, {@code Retry-After: 30}); {@code sim-broken} answers 500;
 * {@code sim-hangup} drops the connection; {@code sim-tools} streams a tool call in pieces; anything else starting
 * with {@code no-} is an unknown model (404). {@code /v1/chat/completions/auto-choice} picks {@value #AUTO_CHOICE}.
 * {@code GET /v1/models/{id}} reports a context window of {@value #SMALL_WINDOW} tokens for {@code sim-small},
 * 128000 with provider-service's maximum output and price in force for {@code sim-1}, and none for other models
 * (which chat-service then holds at its default, dearest price); {@code emb-1} is an embedding model ({@code kind}
 * embedding, $0.02 per million input tokens), {@code sim-1} a chat one. {@code POST /v1/embeddings} answers
 * {@code emb-1} with one 3-value vector per input, {@value #EMBEDDING_TOKENS} prompt tokens and cost 1, and
 * {@code emb-broken} with 500. Every call must carry an identity token minted for
 * provider-service (else 401), as provider-service's own edge demands.
 */
final class ProviderStub implements AutoCloseable {

    static final long PROMPT_TOKENS = 12;
    static final long CACHED_TOKENS = 2;
    static final int SMALL_WINDOW = 110;
    static final long FAILS_LATE_MS = 2_500;
    static final long EMBEDDING_TOKENS = 7;
    static final List<String> ANSWER = List.of("Hello", " from", " the", " provider", " stub.");
    static final List<String> TOOL_ARGUMENTS = List.of("{\"", "city", "\":\"", "Paris", "\"}");

    /** What the stub received for one request id: the raw token and what provider-service makes of it. */
    record Received(String identity, CallerIdentity caller, String requestId, JsonNode body, String autoModel) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    final Map<String, Received> received = new ConcurrentHashMap<>();
    /** Request ids that asked {@code /v1/chat/completions/auto-choice} (which always picks {@link #AUTO_CHOICE}). */
    final Set<String> autoChoices = ConcurrentHashMap.newKeySet();
    static final String AUTO_CHOICE = "sim-1";
    static final String AUTO_REASON = "cheapest of 1 model allowed for tier free that fit 12+1024 tokens";
    /** Request ids of streams whose reader went away before the end. */
    final Set<String> abandoned = ConcurrentHashMap.newKeySet();

    private ProviderStub(HttpServer server) {
        this.server = server;
    }

    static ProviderStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            ProviderStub stub = new ProviderStub(server);
            server.createContext("/v1/chat/completions", stub::handle);
            server.createContext("/v1/models/", stub::model);
            server.createContext("/v1/embeddings", stub::embed);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static long cost(long prompt, long cached, long completion) {
        long micros = (prompt - cached) * 500_000 + cached * 250_000 + completion * 1_500_000;
        return (micros + 999_999) / 1_000_000;
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        String identity = exchange.getRequestHeaders().getFirst("X-Platform-Identity");
        CallerIdentity caller = verified(identity);
        String model = request.path("model").asString("");
        if (caller == null) {
            error(exchange, 401, "authentication_error", "unauthenticated", "no valid identity", null);
            return;
        }
        if (exchange.getRequestURI().getPath().endsWith("/auto-choice")) {
            autoChoices.add(String.valueOf(requestId));
            send(exchange, 200, "application/json", "{\"model\":\"" + AUTO_CHOICE + "\",\"reason\":\"" + AUTO_REASON + "\"}");
            return;
        }
        String autoChoice = exchange.getRequestHeaders().getFirst("X-Platform-Auto-Model");
        received.put(String.valueOf(requestId), new Received(identity, caller, requestId, request, autoChoice));
        if (autoChoice != null && autoChoice.startsWith(model + ";")) {
            exchange.getResponseHeaders().set("X-Platform-Auto-Model", autoChoice); // as provider-service reports it
        }
        switch (model) {
            case "sim-busy" -> {
                exchange.getResponseHeaders().set("Retry-After", "1");
                error(exchange, 429, "rate_limit_error", "concurrency_limited",
                        "Every provider serving 'sim-busy' is at its limit of concurrent calls. Try again shortly.", null);
            }
            case "sim-unavailable" -> {
                exchange.getResponseHeaders().set("Retry-After", "30");
                error(exchange, 503, "api_error", "upstream_unavailable",
                        "No provider can serve 'sim-unavailable' right now. Try again later.", null);
            }
            case "sim-broken" -> error(exchange, 500, "server_error", "internal_error", "boom", null);
            case "sim-hangup" -> throw new IOException("the stub hangs up"); // the server drops the connection
            default -> {
                if (model.startsWith("no-")) {
                    error(exchange, 404, "invalid_request_error", "model_not_found",
                            "The model '" + model + "' does not exist.", "model");
                } else if (request.path("stream").asBoolean(false)) {
                    stream(exchange, model, requestId);
                } else {
                    complete(exchange, model);
                }
            }
        }
    }

    private void model(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/v1/models/".length());
        if (verified(exchange.getRequestHeaders().getFirst("X-Platform-Identity")) == null) {
            error(exchange, 401, "authentication_error", "unauthenticated", "no valid identity", null);
        } else if (id.startsWith("no-")) {
            error(exchange, 404, "invalid_request_error", "model_not_found", "The model '" + id + "' does not exist.", "model");
        } else {
            String window = switch (id) {
                case "sim-small" -> ",\"context_window\":" + SMALL_WINDOW;
                case "sim-1" -> """
                        ,"context_window":128000,"max_output_tokens":16384,"pricing":{"input_micro_usd_per_million":500000,\
                        "cached_input_micro_usd_per_million":250000,"output_micro_usd_per_million":1500000,\
                        "effective_from":"2025-01-01T00:00:00Z"},"kind":"chat\"""";
                case "emb-1" -> """
                        ,"context_window":8191,"max_output_tokens":1536,"pricing":{"input_micro_usd_per_million":20000,\
                        "cached_input_micro_usd_per_million":20000,"output_micro_usd_per_million":20000,\
                        "effective_from":"2025-01-01T00:00:00Z"},"kind":"embedding\"""";
                default -> "";
            };
            send(exchange, 200, "application/json",
                    "{\"id\":\"" + id + "\",\"object\":\"model\",\"created\":1735689600,\"owned_by\":\"simulated\"" + window + "}");
        }
    }

    private void embed(HttpExchange exchange) throws IOException {
        JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        String identity = exchange.getRequestHeaders().getFirst("X-Platform-Identity");
        CallerIdentity caller = verified(identity);
        received.put(String.valueOf(requestId), new Received(identity, caller, requestId, request, null));
        String model = request.path("model").asString("");
        if (caller == null) {
            error(exchange, 401, "authentication_error", "unauthenticated", "no valid identity", null);
        } else if (model.equals("emb-broken")) {
            error(exchange, 500, "server_error", "internal_error", "boom", null);
        } else if (model.startsWith("no-")) {
            error(exchange, 404, "invalid_request_error", "model_not_found", "The model '" + model + "' does not exist.",
                    "model");
        } else {
            int inputs = request.path("input").isArray() ? request.path("input").size() : 1;
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < inputs; i++) {
                data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                        .append(",\"embedding\":[0.6,0.8,0.0]}");
            }
            send(exchange, 200, "application/json", """
                    {"object":"list","data":[%s],"model":"%s","usage":{"prompt_tokens":%d,"total_tokens":%d},
                     "x_platform":{"provider":"simulated","cost_micro_usd":1,"usage_estimated":false}}"""
                    .formatted(data, model, EMBEDDING_TOKENS, EMBEDDING_TOKENS));
        }
    }

    /** A choice's {@code logprobs} as provider-service passes OpenAI's on ({@code sim-choices} answers with two choices). */
    static final String CHOICE_LOGPROBS = """
            {"content":[{"token":"Hi","logprob":-0.25,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.25,"bytes":[72,105]}]}],"refusal":null}""";

    private void complete(HttpExchange exchange, String model) throws IOException {
        long out = ANSWER.size();
        String second = !model.equals("sim-choices") ? "" : """
                ,{"index":1,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop","logprobs":%s}"""
                .formatted(CHOICE_LOGPROBS);
        String body = """
                {"id":"chatcmpl-stub","object":"chat.completion","created":1767225600,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}%s],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d}},
                 "x_platform":{"provider":"simulated","cost_micro_usd":%d,"usage_estimated":false}}"""
                .formatted(model, String.join("", ANSWER), second, PROMPT_TOKENS, out, PROMPT_TOKENS + out, CACHED_TOKENS,
                        cost(PROMPT_TOKENS, CACHED_TOKENS, out));
        send(exchange, 200, "application/json", body);
    }

    private void stream(HttpExchange exchange, String model, String requestId) throws IOException {
        List<String> tokens = switch (model) {
            case "sim-slow" -> {
                List<String> many = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    many.add(" t" + i);
                }
                yield many;
            }
            case "sim-cut" -> ANSWER.subList(0, 3);
            default -> ANSWER;
        };
        long delayMs = model.equals("sim-slow") ? 30 : 0;
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            if (model.equals("sim-fails-late")) { // every attempt failed before answering: nothing consumed
                String nothing = "{\"provider\":\"simulated\",\"prompt_tokens\":0,\"completion_tokens\":0,\"cost_micro_usd\":0}";
                event(out, """
                        {"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1767225600,"model":"%s",\
                        "choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"x_platform":%s}"""
                        .formatted(model, nothing));
                sleep(FAILS_LATE_MS);
                event(out, """
                        {"error":{"message":"no provider answered","type":"server_error","code":"stream_failed","param":null},\
                        "x_platform":%s}""".formatted(nothing));
                out.close();
                return;
            }
            event(out, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null, 0));
            if (model.equals("sim-tools")) {
                event(out, chunk(model, "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null, 0));
                for (int i = 0; i < TOOL_ARGUMENTS.size(); i++) {
                    event(out, chunk(model, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                            + json.writeValueAsString(TOOL_ARGUMENTS.get(i)) + "}}]}", null, i + 1));
                }
                tokens = List.of();
            }
            for (int i = 0; i < tokens.size(); i++) {
                sleep(delayMs);
                event(out, chunk(model, "{\"content\":\"" + tokens.get(i) + "\"}", null, i + 1));
            }
            if (model.equals("sim-choices")) {
                event(out, """
                        {"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1767225600,"model":"%s",\
                        "choices":[{"index":1,"delta":{"content":"Hi"},"finish_reason":null,"logprobs":%s}],"x_platform":%s}"""
                        .formatted(model, CHOICE_LOGPROBS, platform(tokens.size())));
            }
            if (model.equals("sim-cut")) {
                out.close(); // the provider dies: the body ends without a finish, usage or [DONE]
                return;
            }
            long n = model.equals("sim-tools") ? TOOL_ARGUMENTS.size() : tokens.size();
            event(out, chunk(model, "{}", model.equals("sim-tools") ? "\"tool_calls\"" : "\"stop\"", n));
            event(out, """
                    {"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1767225600,"model":"%s","choices":[],\
                    "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d}},\
                    "x_platform":%s}""".formatted(model, PROMPT_TOKENS, n, PROMPT_TOKENS + n, CACHED_TOKENS, platform(n)));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException readerLeft) {
            abandoned.add(String.valueOf(requestId));
            exchange.close();
        }
    }

    private static String chunk(String model, String delta, String finishReason, long completionTokens) {
        return """
                {"id":"chatcmpl-stub","object":"chat.completion.chunk","created":1767225600,"model":"%s",\
                "choices":[{"index":0,"delta":%s,"finish_reason":%s}],"x_platform":%s}"""
                .formatted(model, delta, finishReason, platform(completionTokens));
    }

    private static String platform(long completionTokens) {
        return "{\"provider\":\"simulated\",\"prompt_tokens\":%d,\"completion_tokens\":%d,\"cost_micro_usd\":%d,\"usage_estimated\":false}"
                .formatted(PROMPT_TOKENS, completionTokens, cost(PROMPT_TOKENS, CACHED_TOKENS, completionTokens));
    }

    /** The caller, when the token was minted for provider-service and is still valid. */
    private static CallerIdentity verified(String token) {
        return TestIdentities.verifyAs("provider-service", token).orElse(null);
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void error(HttpExchange exchange, int status, String type, String code, String message, String param)
            throws IOException {
        send(exchange, status, "application/json", """
                {"error":{"message":"%s","type":"%s","code":"%s","param":%s}}"""
                .formatted(message, type, code, param == null ? "null" : "\"" + param + "\""));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long ms) {
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.chatplatform.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Stands in for OpenAI's API ({@code OPENAI_BASE_URL}) in OpenAI's documented wire format, so the end-to-end test can
 * reach a model that calls tools (the simulated model never does): a chat request that offers tools and carries no
 * tool result yet is answered with a call of the first tool, {@code {"city":"Paris"}}; any other with
 * {@link #ANSWER}. Streams send the call's arguments in two pieces, then a usage chunk and {@code [DONE]}.
 * {@code POST /v1/embeddings} answers 4-value vectors, {@value #EMBEDDING_TOKENS} prompt tokens per input.
 */
final class OpenAiUpstreamStub implements AutoCloseable {

    static final String ANSWER = "It is sunny in Paris.";
    static final int EMBEDDING_TOKENS = 5;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;

    private OpenAiUpstreamStub(HttpServer server) {
        this.server = server;
    }

    static OpenAiUpstreamStub start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        OpenAiUpstreamStub stub = new OpenAiUpstreamStub(server);
        server.createContext("/v1/chat/completions", stub::chat);
        server.createContext("/v1/embeddings", stub::embeddings);
        server.start();
        return stub;
    }

    /** The API root, as {@code OPENAI_BASE_URL} takes it. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String model = request.path("model").asString();
        boolean toolResultSent = false;
        for (JsonNode m : request.path("messages")) {
            toolResultSent |= m.path("role").asString().equals("tool");
        }
        String tool = request.path("tools").isArray() && !toolResultSent
                ? request.path("tools").get(0).path("function").path("name").asString() : null;
        if (!request.path("stream").asBoolean(false)) {
            String message = tool == null ? "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}"
                    : "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"" + tool + "\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}";
            send(exchange, "application/json", """
                    {"id":"chatcmpl-stub","object":"chat.completion","created":1767225600,"model":"%s",
                     "choices":[{"index":0,"message":%s,"finish_reason":"%s"}],
                     "usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29}}"""
                    .formatted(model, message, tool == null ? "stop" : "tool_calls"));
            return;
        }
        StringBuilder sse = new StringBuilder();
        String head = "{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":";
        if (tool == null) {
            sse.append(event(head + "{\"role\":\"assistant\",\"content\":\"It is\"},\"finish_reason\":null}]}"));
            sse.append(event(head + "{\"content\":\" sunny in Paris.\"},\"finish_reason\":null}]}"));
            sse.append(event(head + "{},\"finish_reason\":\"stop\"}]}"));
        } else {
            sse.append(event(head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"" + tool + "\",\"arguments\":\"{\\\"city\\\":\"}}]},"
                    + "\"finish_reason\":null}]}"));
            sse.append(event(head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},"
                    + "\"finish_reason\":null}]}"));
            sse.append(event(head + "{},\"finish_reason\":\"tool_calls\"}]}"));
        }
        sse.append(event("{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\""
                + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9,\"total_tokens\":29}}"));
        sse.append(event("[DONE]"));
        send(exchange, "text/event-stream", sse.toString());
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        int inputs = request.path("input").isArray() ? request.path("input").size() : 1;
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < inputs; i++) {
            data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":[0.5,0.5,0.5,0.5]}");
        }
        send(exchange, "application/json", """
                {"object":"list","data":[%s],"model":"%s","usage":{"prompt_tokens":%d,"total_tokens":%d}}"""
                .formatted(data, request.path("model").asString(), EMBEDDING_TOKENS * inputs, EMBEDDING_TOKENS * inputs));
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    private static void send(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.chatplatform.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible model server for the console's browser test, reached by provider-service as its
 * {@code OPENAI_COMPATIBLE_BASE_URL}: it answers every chat completion with {@link #ANSWER}, Markdown with a
 * heading, bold text, a list, a code block and two HTML injections the console must not run. A stream sends the
 * first part of the answer, then waits while {@link #hold()} is in force (sending empty deltas), so a test sees a
 * half-written answer on screen (and can stop it there) without depending on timing. {@link #answerAfter} makes it a
 * slow model (a real latency breach for the rollout guard).
 */
final class MarkdownModel implements AutoCloseable {

    static final String MODEL = "md-1";
    static final String FIRST_PART = "## Streams in Markdown\n\nThis answer has **bold words** and a list:\n\n- one\n- two\n\n";
    static final String SECOND_PART = "```java\nint answer = 42;\n```\n\n"
            + "<img src=\"x\" onerror=\"window.injected = 'img'\"> <script>window.injected = 'script'</script>\n\nDone.";
    static final String ANSWER = FIRST_PART + SECOND_PART;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile Duration delay = Duration.ZERO;

    MarkdownModel() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", this::complete);
        server.start();
    }

    /** The base URL provider-service calls ({@code <url>/chat/completions}). */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Streams started from now on stop after {@link #FIRST_PART} until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    /** Requests from now on wait {@code delay} before their answer starts ({@link Duration#ZERO}: at once again). */
    void answerAfter(Duration delay) {
        this.delay = delay;
    }

    private void complete(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            Thread.sleep(delay);
            int promptTokens = request.path("messages").size() * 10;
            int completionTokens = ANSWER.length() / 4;
            Map<String, Object> usage = Map.of("prompt_tokens", promptTokens, "completion_tokens", completionTokens,
                    "total_tokens", promptTokens + completionTokens);
            if (!request.path("stream").asBoolean(false)) {
                byte[] body = JSON.writeValueAsBytes(Map.of("id", "chatcmpl-md", "object", "chat.completion",
                        "created", System.currentTimeMillis() / 1000, "model", MODEL,
                        "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                                "message", Map.of("role", "assistant", "content", ANSWER))), "usage", usage));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            CountDownLatch held = gate;
            for (String piece : pieces(FIRST_PART)) {
                send(out, chunk(Map.of("content", piece), null));
            }
            // while held, empty deltas keep the stream alive (as a model thinking does), so a stop is seen at once
            for (int i = 0; i < 1200 && !held.await(100, TimeUnit.MILLISECONDS); i++) {
                send(out, chunk(Map.of("content", ""), null));
            }
            for (String piece : pieces(SECOND_PART)) {
                send(out, chunk(Map.of("content", piece), null));
            }
            send(out, chunk(Map.of(), "stop"));
            send(out, Map.of("id", "chatcmpl-md", "object", "chat.completion.chunk",
                    "created", System.currentTimeMillis() / 1000, "model", MODEL, "choices", List.of(), "usage", usage));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the caller left (a stopped answer): nothing more to write
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Object> chunk(Map<String, String> delta, String finishReason) {
        Map<String, Object> choice = new java.util.HashMap<>(Map.of("index", 0, "delta", delta));
        choice.put("finish_reason", finishReason);
        return Map.of("id", "chatcmpl-md", "object", "chat.completion.chunk",
                "created", System.currentTimeMillis() / 1000, "model", MODEL, "choices", List.of(choice));
    }

    private static void send(OutputStream out, Object event) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The text in pieces of a few characters, as a model streams tokens. */
    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 6) {
            pieces.add(text.substring(i, Math.min(text.length(), i + 6)));
        }
        return pieces;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}

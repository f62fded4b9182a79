package dev.chatplatform.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stand-ins for the platform's services, one plain JDK HTTP server each: they answer with what they
 * received (service name, method, path, headers, body size), and chat-service streams SSE on request,
 * waiting between chunks until the test has seen the first one, or, for model {@code busy}, refuses the stream
 * before any output as chat-service does (429, {@code Retry-After: 1}, OpenAI's error body). One set per test JVM.
 */
final class StubServices {

    static final List<String> NAMES = List.of("chat", "provider", "billing", "usage", "rollout");
    private static StubServices instance;

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final int closedPort;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile Stream stream = new Stream();

    private StubServices() {
        for (String name : NAMES) {
            servers.put(name, start(name));
        }
        closedPort = freePort();
    }

    static synchronized StubServices get() {
        if (instance == null) {
            instance = new StubServices();
        }
        return instance;
    }

    String url(String service) {
        return "http://localhost:" + servers.get(service).getAddress().getPort();
    }

    /** A URL nothing listens on: the analytics-service is "down" in these tests. */
    String downUrl() {
        return "http://localhost:" + closedPort;
    }

    /** Arms the next streamed chat completion; the stub sends chunk 2 only after {@link Stream#firstChunkSeen}. */
    Stream nextStream() {
        stream = new Stream();
        return stream;
    }

    static final class Stream {
        final CountDownLatch firstChunkSeen = new CountDownLatch(1);
        final AtomicBoolean finished = new AtomicBoolean();
    }

    private HttpServer start(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = readAll(exchange.getRequestBody());
                    String text = new String(body, StandardCharsets.UTF_8);
                    if (name.equals("chat") && text.contains("\"stream\":true") && text.contains("\"model\":\"busy\"")) {
                        refuse(exchange);
                    } else if (name.equals("chat") && text.contains("\"stream\":true")) {
                        streamSse(exchange);
                    } else {
                        echo(name, exchange, body.length);
                    }
                }
            });
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void echo(String name, HttpExchange exchange, int bodyBytes) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("service", name);
        answer.put("method", exchange.getRequestMethod());
        answer.put("path", exchange.getRequestURI().getRawPath());
        answer.put("headers", headers);
        answer.put("bodyBytes", bodyBytes);
        byte[] out = json.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // like a service with CORS of its own: the gateway must not pass this on
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        // like a kit service: echoes the request id it was given
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (requestId != null) {
            exchange.getResponseHeaders().set("X-Request-Id", requestId);
        }
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
    }

    static final String REFUSAL = "{\"error\":{\"message\":\"Every provider serving 'busy' is at its limit of "
            + "concurrent calls. Try again shortly.\",\"type\":\"rate_limit_error\",\"code\":\"concurrency_limited\",\"param\":null}}";

    private void refuse(HttpExchange exchange) throws IOException {
        byte[] out = REFUSAL.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Retry-After", "1");
        exchange.sendResponseHeaders(429, out.length);
        exchange.getResponseBody().write(out);
    }

    private void streamSse(HttpExchange exchange) throws IOException {
        Stream current = stream;
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        send(out, "data: {\"chunk\":1}\n\n");
        try {
            current.firstChunkSeen.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(out, "data: {\"chunk\":2}\n\n");
        send(out, "data: [DONE]\n\n");
        current.finished.set(true);
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

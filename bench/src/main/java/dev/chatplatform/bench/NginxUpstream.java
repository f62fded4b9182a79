package dev.chatplatform.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-compatible upstream that answers at once: Debian's nginx with the echo module, one worker, serving
 * {@code POST /v1/chat/completions} with a fixed {@code chat.completion} or, when the body asks for
 * {@code "stream":true}, a fixed stream of {@value #CHUNKS} content chunks, the usage chunk and {@code [DONE]}.
 * A second port streams the same answer with {@code chunkDelay} between chunks (the long-streams scenario). Its
 * own cost per request is tens of microseconds, so the platform's overhead is read against it.
 */
final class NginxUpstream implements AutoCloseable {

    static final int CHUNKS = 20;
    static final int PROMPT_TOKENS = 24;
    static final int COMPLETION_TOKENS = CHUNKS;
    private static final Path ECHO_MODULE = Path.of("/usr/lib/nginx/modules/ngx_http_echo_module.so");

    private final Process process;
    private final int port;
    private final int slowPort;

    private NginxUpstream(Process process, int port, int slowPort) {
        this.process = process;
        this.port = port;
        this.slowPort = slowPort;
    }

    /** Starts nginx on {@code port} (fast) and {@code port + 1} (slow streams), or explains how to install it. */
    static NginxUpstream start(int port, Duration chunkDelay, String model) throws IOException {
        Path nginx = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (nginx == null || !Files.exists(ECHO_MODULE)) {
            throw new IllegalStateException("the benchmark's upstream is nginx with the echo module: "
                    + "apt-get install -y nginx libnginx-mod-http-echo");
        }
        Path dir = Files.createTempDirectory("bench-nginx");
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("nginx.conf"), config(dir, port, chunkDelay, model));
        Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxUpstream upstream = new NginxUpstream(process, port, port + 1);
        upstream.awaitListening();
        return upstream;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    String slowBaseUrl() {
        return "http://127.0.0.1:" + slowPort + "/v1";
    }

    /** The nginx master and worker processes. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>(process.toHandle().descendants().map(ProcessHandle::pid).toList());
        pids.add(process.pid());
        return pids;
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    private static String config(Path dir, int port, Duration chunkDelay, String model) {
        String completion = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1765000000,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + "word ".repeat(CHUNKS).trim() + "\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + COMPLETION_TOKENS
                + ",\"total_tokens\":" + (PROMPT_TOKENS + COMPLETION_TOKENS) + "}}");
        String chunk = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1765000000,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}\\n\\n";
        StringBuilder fast = new StringBuilder();
        StringBuilder slow = new StringBuilder();
        String delay = String.format(java.util.Locale.ROOT, "%.3f", chunkDelay.toMillis() / 1000.0);
        for (int i = 0; i < CHUNKS; i++) {
            String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"word \"}" : "{\"content\":\"word \"}";
            String echo = "echo -n '" + String.format(chunk, delta, "null") + "';";
            fast.append(echo);
            slow.append(echo).append(" echo_flush;");
            if (i < CHUNKS - 1) {
                slow.append(" echo_sleep ").append(delay).append(';');
            }
        }
        String end = "echo -n '" + String.format(chunk, "{}", "\"stop\"") + "';"
                + " echo -n 'data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1765000000,"
                + "\"model\":\"" + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS
                + ",\"completion_tokens\":" + COMPLETION_TOKENS + ",\"total_tokens\":" + (PROMPT_TOKENS + COMPLETION_TOKENS)
                + "}}\\n\\n'; echo -n 'data: [DONE]\\n\\n';";
        String tmp = dir.resolve("tmp").toString();
        return """
                load_module %s;
                worker_processes 1;
                daemon off;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 16384; }
                http {
                  access_log off;
                  client_body_temp_path %s; proxy_temp_path %s; fastcgi_temp_path %s; uwsgi_temp_path %s; scgi_temp_path %s;
                  keepalive_requests 100000000;
                  keepalive_timeout 300s;
                  client_body_buffer_size 256k;
                  map $request_body $answer { "~\\"stream\\"\\s*:\\s*true" stream; default completion; }
                  server {
                    listen 127.0.0.1:%d;
                    location = /v1/chat/completions { echo_read_request_body; echo_exec /__$answer; }
                    location = /__completion { default_type application/json; return 200 '%s'; }
                    location = /__stream { default_type text/event-stream; %s %s }
                  }
                  server {
                    listen 127.0.0.1:%d;
                    location = /v1/chat/completions { default_type text/event-stream; %s %s }
                  }
                }
                """.formatted(ECHO_MODULE, dir, dir, tmp, tmp, tmp, tmp, tmp, port, completion, fast, end,
                port + 1, slow, end);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

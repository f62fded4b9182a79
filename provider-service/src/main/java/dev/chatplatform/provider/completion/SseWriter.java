package dev.chatplatform.provider.completion;

import tools.jackson.databind.json.JsonMapper;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events ({@code data: <json>\n\n}) and pushes each one to the client at once.
 * {@code flusher} must reach the socket: since Spring Framework 7.0.6 the stream a StreamingResponseBody
 * receives ignores {@code flush()}, so the controller passes {@code HttpServletResponse::flushBuffer}.
 */
final class SseWriter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final Flushable flusher;
    private final JsonMapper json;

    SseWriter(OutputStream out, Flushable flusher, JsonMapper json) {
        this.out = out;
        this.flusher = flusher;
        this.json = json;
    }

    void send(Object event) throws IOException {
        out.write(DATA);
        out.write(json.writeValueAsBytes(event));
        out.write(END);
        flusher.flush();
    }

    void done() throws IOException {
        out.write(DONE);
        flusher.flush();
    }
}

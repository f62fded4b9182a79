package dev.chatplatform.provider.completion;

import tools.jackson.databind.json.JsonMapper;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events ({@code data: <json>\n\n}) and pushes each one to the client at once. The stream is
 * opened (status 200 and the stream's headers set) only when the first event is sent: until then a refusal can
 * still be answered with its own HTTP status ({@link #started()}). {@code flusher} must reach the socket
 * ({@code HttpServletResponse::flushBuffer}).
 */
final class SseWriter {

    /** Sets the stream's status and headers and returns the response body; called once, before the first event. */
    @FunctionalInterface
    interface Target {
        OutputStream open() throws IOException;
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Target target;
    private final Flushable flusher;
    private final JsonMapper json;
    private OutputStream out;

    SseWriter(Target target, Flushable flusher, JsonMapper json) {
        this.target = target;
        this.flusher = flusher;
        this.json = json;
    }

    /** Whether an event was sent: the status (200) is then the client's, and any ending is told in the stream. */
    boolean started() {
        return out != null;
    }

    void send(Object event) throws IOException {
        OutputStream body = body();
        body.write(DATA);
        body.write(json.writeValueAsBytes(event));
        body.write(END);
        flusher.flush();
    }

    void done() throws IOException {
        body().write(DONE);
        flusher.flush();
    }

    private OutputStream body() throws IOException {
        if (out == null) {
            out = target.open();
        }
        return out;
    }
}

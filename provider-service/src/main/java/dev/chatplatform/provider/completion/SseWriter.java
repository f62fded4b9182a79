package dev.chatplatform.provider.completion;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes server-sent events ({@code data: <json>\n\n}) and flushes each one, so nothing waits in a buffer. */
final class SseWriter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final JsonMapper json;

    SseWriter(OutputStream out, JsonMapper json) {
        this.out = out;
        this.json = json;
    }

    void send(Object event) throws IOException {
        out.write(DATA);
        out.write(json.writeValueAsBytes(event));
        out.write(END);
        out.flush();
    }

    void done() throws IOException {
        out.write(DONE);
        out.flush();
    }
}

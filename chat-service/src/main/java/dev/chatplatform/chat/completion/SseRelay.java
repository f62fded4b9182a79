package dev.chatplatform.chat.completion;

import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.kit.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Relays provider-service's SSE stream to the client one chunk at a time, flushing each, never buffering.
 * On the way it strips {@code x_platform} (remembering the last one: cumulative usage), holds back the
 * usage chunk unless the client asked for it, and always ends the client's stream with {@code data: [DONE]}
 * — after an explicit error event when the upstream failed mid-stream. A failed write to the client means
 * the client left: relaying stops at once so the caller can close the upstream connection.
 */
final class SseRelay {

    private static final Logger log = LoggerFactory.getLogger(SseRelay.class);
    private static final String DATA = "data:";
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final JsonMapper json;

    SseRelay(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param upstream     the upstream body, line by line (reading may throw {@link java.io.UncheckedIOException})
     * @param client       the client's response body
     * @param includeUsage whether the client asked for the usage chunk
     * @param startedNanos {@link System#nanoTime()} when the request arrived
     */
    RelayResult relay(Iterator<String> upstream, OutputStream client, boolean includeUsage, long startedNanos) {
        Meter meter = new Meter(startedNanos);
        try {
            client.flush(); // commits status and headers before the first token
            return meter.result(pump(upstream, client, includeUsage, meter));
        } catch (IOException clientGone) {
            log.info("client disconnected mid-stream: {}", clientGone.toString());
            return meter.result(Outcome.CLIENT_DISCONNECTED);
        }
    }

    /** Returns how the upstream ended; throws when a write to the client fails. */
    private Outcome pump(Iterator<String> upstream, OutputStream client, boolean includeUsage, Meter meter)
            throws IOException {
        while (true) {
            String line;
            try {
                if (!upstream.hasNext()) {
                    if (meter.sawUsageChunk) {
                        finish(client); // everything arrived but the [DONE] marker
                        return Outcome.COMPLETED;
                    }
                    log.warn("provider-service ended the stream before it was complete");
                    fail(client, "The model provider ended the stream before the answer was complete.");
                    return Outcome.UPSTREAM_ERROR;
                }
                line = upstream.next();
            } catch (RuntimeException e) {
                log.warn("reading the provider-service stream failed: {}", e.toString());
                fail(client, "The model provider failed in the middle of the answer.");
                return Outcome.UPSTREAM_ERROR;
            }
            if (!line.startsWith(DATA)) {
                continue; // blank separators, comments, event names: the client gets our own framing
            }
            String data = line.substring(DATA.length()).strip();
            if (data.equals("[DONE]")) {
                finish(client);
                return Outcome.COMPLETED;
            }
            if (!(parse(data) instanceof ObjectNode chunk)) {
                continue;
            }
            meter.observe(chunk);
            if (chunk.has("error")) {
                send(client, chunk);
                finish(client);
                return Outcome.UPSTREAM_ERROR;
            }
            if (isUsageChunk(chunk)) {
                meter.sawUsageChunk = true;
                if (includeUsage) {
                    send(client, chunk);
                }
                continue;
            }
            if (!includeUsage) {
                chunk.remove("usage");
            }
            send(client, chunk);
        }
    }

    private JsonNode parse(String data) {
        try {
            return json.readTree(data);
        } catch (JacksonException e) {
            log.warn("skipping an unreadable chunk from provider-service: {}", e.getOriginalMessage());
            return null;
        }
    }

    private static boolean isUsageChunk(JsonNode chunk) {
        JsonNode choices = chunk.path("choices");
        return chunk.path("usage").isObject() && (choices.isMissingNode() || choices.isEmpty());
    }

    private void send(OutputStream client, JsonNode chunk) throws IOException {
        client.write(("data: " + json.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        client.flush();
    }

    /** Ends the stream; the answer is complete whether or not the client still reads it. */
    private static void finish(OutputStream client) {
        try {
            client.write(DONE);
            client.flush();
        } catch (IOException ignored) {
            // the client left after the last token: nothing lost
        }
    }

    /** The terminal error event, then [DONE]: the client knows the answer is cut, not finished. */
    private void fail(OutputStream client, String message) {
        try {
            send(client, json.valueToTree(ApiError.of("server_error", "upstream_unavailable", message, null)));
        } catch (IOException ignored) {
            // the client left too
        }
        finish(client);
    }

    /** Usage and timing as the stream goes by. */
    private static final class Meter {

        private final long startedNanos;
        private JsonNode lastPlatform;
        private JsonNode lastUsage;
        private long firstTokenNanos;
        private boolean sawUsageChunk;

        Meter(long startedNanos) {
            this.startedNanos = startedNanos;
        }

        void observe(ObjectNode chunk) {
            JsonNode platform = chunk.remove("x_platform");
            if (platform != null && platform.isObject()) {
                lastPlatform = platform;
            }
            JsonNode usage = chunk.get("usage");
            if (usage != null && usage.isObject()) {
                lastUsage = usage;
            }
            if (firstTokenNanos == 0 && carriesContent(chunk)) {
                firstTokenNanos = System.nanoTime();
            }
        }

        private static boolean carriesContent(JsonNode chunk) {
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                if (!delta.path("content").asString("").isEmpty() || !delta.path("tool_calls").isEmpty()
                        || !delta.path("refusal").asString("").isEmpty()) {
                    return true;
                }
            }
            return false;
        }

        RelayResult result(Outcome outcome) {
            Long ttft = firstTokenNanos == 0 ? null : TimeUnit.NANOSECONDS.toMillis(firstTokenNanos - startedNanos);
            MeteredUsage usage = lastPlatform == null && lastUsage == null ? null : MeteredUsage.ofStream(lastPlatform, lastUsage);
            return new RelayResult(outcome, usage, ttft);
        }
    }
}

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
import java.util.function.BooleanSupplier;

/**
 * Relays provider-service's SSE stream to the client one chunk at a time, flushing each, never buffering.
 * On the way it strips {@code x_platform} (remembering the last one: cumulative usage), holds back the
 * usage chunk unless the client asked for it, and always ends the client's stream with {@code data: [DONE]}
 * — after an explicit error event when the upstream failed mid-stream. A failed write to the client means
 * the client left: relaying stops at once so the caller can close the upstream connection.
 */
public final class SseRelay {

    private static final Logger log = LoggerFactory.getLogger(SseRelay.class);
    private static final String DATA = "data:";
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final JsonMapper json;

    public SseRelay(JsonMapper json) {
        this.json = json;
    }

    /**
     * Relays a whole stream, ending it for the client: {@code [DONE]}, after an error event when the
     * upstream failed.
     *
     * @param upstream     the upstream body, line by line (reading may throw {@link java.io.UncheckedIOException})
     * @param client       the client's response body
     * @param includeUsage whether the client asked for the usage chunk
     * @param startedNanos {@link System#nanoTime()} when the request arrived
     */
    RelayResult relay(Iterator<String> upstream, OutputStream client, boolean includeUsage, long startedNanos) {
        return relay(upstream, client, includeUsage, startedNanos, Long.MAX_VALUE);
    }

    /** As {@link #relay(Iterator, OutputStream, boolean, long)}, cut once the answer exceeds {@code completionLimit} tokens. */
    RelayResult relay(Iterator<String> upstream, OutputStream client, boolean includeUsage, long startedNanos,
                      long completionLimit) {
        RelayResult result = relayUnterminated(upstream, client, includeUsage, startedNanos, () -> false, completionLimit);
        if (result.outcome() != Outcome.CLIENT_DISCONNECTED) {
            if (result.error() != null) {
                sendQuietly(client, result.error());
            }
            finish(client);
        }
        return result;
    }

    /**
     * Relays the content chunks and leaves the ending to the caller, which writes its own last events
     * (see {@link #sendQuietly} and {@link #finish}). {@code stopRequested} is asked between chunks; when
     * it answers true, relaying stops and the result says {@link RelayResult#stopped()}.
     */
    public RelayResult relayUnterminated(Iterator<String> upstream, OutputStream client, boolean includeUsage,
                                         long startedNanos, BooleanSupplier stopRequested) {
        return relayUnterminated(upstream, client, includeUsage, startedNanos, stopRequested, Long.MAX_VALUE);
    }

    /**
     * As {@link #relayUnterminated(Iterator, OutputStream, boolean, long, BooleanSupplier)}, and the budget
     * hold's limit: once the cumulative {@code x_platform.completion_tokens} exceeds {@code completionLimit}
     * (a provider ignoring max_tokens), relaying stops before that chunk and the result carries the terminal
     * error {@code insufficient_quota / hold_exceeded} with outcome {@code UPSTREAM_ERROR}; its usage is
     * everything the provider reported, the last chunk included (it was produced, so it is billed).
     */
    public RelayResult relayUnterminated(Iterator<String> upstream, OutputStream client, boolean includeUsage,
                                         long startedNanos, BooleanSupplier stopRequested, long completionLimit) {
        Meter meter = new Meter(startedNanos);
        try {
            client.flush(); // commits status and headers before the first token
            return meter.result(pump(upstream, client, includeUsage, meter, stopRequested, completionLimit));
        } catch (IOException clientGone) {
            log.info("client disconnected mid-stream: {}", clientGone.toString());
            return meter.result(Outcome.CLIENT_DISCONNECTED);
        }
    }

    /** Returns how the upstream ended; throws when a write to the client fails. */
    private Outcome pump(Iterator<String> upstream, OutputStream client, boolean includeUsage, Meter meter,
                         BooleanSupplier stopRequested, long completionLimit) throws IOException {
        while (true) {
            if (stopRequested.getAsBoolean()) {
                meter.stopped = true;
                return Outcome.CLIENT_DISCONNECTED;
            }
            String line;
            try {
                if (!upstream.hasNext()) {
                    if (meter.sawUsageChunk) {
                        return Outcome.COMPLETED; // everything arrived but the [DONE] marker
                    }
                    log.warn("provider-service ended the stream before it was complete");
                    meter.error = failure("The model provider ended the stream before the answer was complete.");
                    return Outcome.UPSTREAM_ERROR;
                }
                line = upstream.next();
            } catch (RuntimeException e) {
                log.warn("reading the provider-service stream failed: {}", e.toString());
                meter.error = failure("The model provider failed in the middle of the answer.");
                return Outcome.UPSTREAM_ERROR;
            }
            if (!line.startsWith(DATA)) {
                continue; // blank separators, comments, event names: the client gets our own framing
            }
            String data = line.substring(DATA.length()).strip();
            if (data.equals("[DONE]")) {
                return Outcome.COMPLETED;
            }
            if (!(parse(data) instanceof ObjectNode chunk)) {
                continue;
            }
            meter.observe(chunk);
            if (chunk.has("error")) {
                meter.error = chunk;
                return Outcome.UPSTREAM_ERROR;
            }
            if (meter.completionTokens() > completionLimit) {
                log.warn("the answer exceeded the {} tokens held for it (the provider ignored max_tokens): cut", completionLimit);
                meter.error = json.valueToTree(ApiError.of("insufficient_quota", "hold_exceeded", "The answer reached the "
                        + completionLimit + " tokens the account's budget holds for it and was cut.", null));
                return Outcome.UPSTREAM_ERROR;
            }
            meter.relayed(chunk);
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

    private JsonNode failure(String message) {
        return json.valueToTree(ApiError.of("server_error", "upstream_unavailable", message, null));
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

    /** Writes one event; a client that left is ignored (the caller has nothing more to tell it). */
    public void sendQuietly(OutputStream client, JsonNode event) {
        try {
            send(client, event);
        } catch (IOException ignored) {
            // the client left
        }
    }

    /** Ends the stream with {@code [DONE]}; the answer is complete whether or not the client still reads it. */
    public void finish(OutputStream client) {
        try {
            client.write(DONE);
            client.flush();
        } catch (IOException ignored) {
            // the client left after the last token: nothing lost
        }
    }

    /** Usage and timing as the stream goes by. */
    private static final class Meter {

        private final long startedNanos;
        private JsonNode lastPlatform;
        private JsonNode lastUsage;
        private long firstTokenNanos;
        private boolean sawUsageChunk;
        private boolean stopped;
        private JsonNode error;
        private final StringBuilder content = new StringBuilder();
        private String finishReason;

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
        }

        /** Takes in the content of a chunk that is relayed. */
        void relayed(ObjectNode chunk) {
            if (firstTokenNanos == 0 && carriesContent(chunk)) {
                firstTokenNanos = System.nanoTime();
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.path("index").asInt(0) != 0) {
                    continue; // the answer kept is the first choice's (n > 1 relays the others unchanged)
                }
                content.append(choice.path("delta").path("content").asString(""));
                if (choice.path("finish_reason").isString()) {
                    finishReason = choice.path("finish_reason").stringValue();
                }
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

        long completionTokens() {
            if (lastPlatform != null && lastPlatform.path("completion_tokens").isIntegralNumber()) {
                return lastPlatform.path("completion_tokens").asLong();
            }
            return lastUsage == null ? 0 : lastUsage.path("completion_tokens").asLong(0);
        }

        RelayResult result(Outcome outcome) {
            Long ttft = firstTokenNanos == 0 ? null : TimeUnit.NANOSECONDS.toMillis(firstTokenNanos - startedNanos);
            MeteredUsage usage = lastPlatform == null && lastUsage == null ? null : MeteredUsage.ofStream(lastPlatform, lastUsage);
            return new RelayResult(outcome, usage, ttft, content.toString(), finishReason, stopped, error);
        }
    }
}

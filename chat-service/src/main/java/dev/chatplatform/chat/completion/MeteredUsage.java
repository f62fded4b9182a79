package dev.chatplatform.chat.completion;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.kit.identity.CallerIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What a request consumed, as provider-service reported it: token counts from the OpenAI {@code usage}
 * object and provider, cost and estimation flag from the {@code x_platform} extension.
 */
public record MeteredUsage(String provider, long inputTokens, long cachedInputTokens, long outputTokens, long costMicroUsd,
                    boolean estimated) {

    static final String UNKNOWN_PROVIDER = "unknown";

    /** Nothing to bill: the model never ran (or reported nothing). */
    public boolean consumedNothing() {
        return inputTokens == 0 && outputTokens == 0 && costMicroUsd == 0;
    }

    /** The billable event of one request: its id derives from {@code requestId}. */
    public UsageRecorded toEvent(String requestId, CallerIdentity caller, String model, Outcome outcome,
                                 boolean streamed, long startedNanos, Long timeToFirstTokenMs) {
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        return new UsageRecorded(requestId, caller.accountId(), caller.keyId(), model, provider, inputTokens,
                cachedInputTokens, outputTokens, costMicroUsd, estimated, outcome, streamed, latencyMs,
                timeToFirstTokenMs, Instant.now());
    }

    /** From a non-stream answer: top-level {@code usage} and {@code x_platform}. */
    public static MeteredUsage ofCompletion(JsonNode usage, JsonNode platform) {
        return new MeteredUsage(
                platform.path("provider").asString(UNKNOWN_PROVIDER),
                usage.path("prompt_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0),
                platform.path("cost_micro_usd").asLong(0),
                platform.path("usage_estimated").asBoolean(false));
    }

    /**
     * From a stream: the last {@code x_platform} seen is cumulative (prompt tokens, completion tokens and
     * cost so far), so it is what was consumed even when the stream was cut; the final usage chunk, when
     * it arrived, adds the cached-token count.
     */
    static MeteredUsage ofStream(JsonNode lastPlatform, JsonNode lastUsage) {
        JsonNode platform = lastPlatform == null ? MissingNode.getInstance() : lastPlatform;
        JsonNode usage = lastUsage == null ? MissingNode.getInstance() : lastUsage;
        return new MeteredUsage(
                platform.path("provider").asString(UNKNOWN_PROVIDER),
                platform.path("prompt_tokens").asLong(usage.path("prompt_tokens").asLong(0)),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(platform.path("cached_tokens").asLong(0)),
                platform.path("completion_tokens").asLong(usage.path("completion_tokens").asLong(0)),
                platform.path("cost_micro_usd").asLong(0),
                platform.path("usage_estimated").asBoolean(false));
    }
}

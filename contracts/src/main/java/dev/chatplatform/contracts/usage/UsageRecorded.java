package dev.chatplatform.contracts.usage;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * The billable usage of one model request, published once per request by chat-service; when chat-service could
 * not (killed mid-stream, or unable to write it) and the request's hold expires, usage-service publishes it from
 * provider-service's record of the call. The event id is derived from {@code requestId} alone, so a retry, or both
 * services publishing, never makes a second billable event: consumers count an id once.
 *
 * @param requestId         the platform request id (also the event's cause)
 * @param accountId         the account billed
 * @param apiKeyId          the API key used, or null for other credentials
 * @param model             the platform model id the caller asked for
 * @param provider          the provider that served it (e.g. {@code simulated}, {@code openai})
 * @param inputTokens       prompt tokens
 * @param cachedInputTokens prompt tokens served from the provider's cache (part of {@code inputTokens})
 * @param outputTokens      completion tokens actually produced
 * @param costMicroUsd      cost in integer micro-USD (1 USD = 1,000,000), from the price book in force
 * @param estimated         true when token counts came from our tokenizer rather than the provider's report
 * @param outcome           how the request ended
 * @param streamed          whether the answer was streamed
 * @param latencyMs         total time from request to last token
 * @param timeToFirstTokenMs time to the first token, or null for non-streamed requests
 * @param occurredAt        when the request completed
 * @param kind              what kind of model call it was; absent (null) on the wire means {@link Kind#CHAT}, so
 *                          events written before the field existed read as chat (embeddings have no output tokens)
 * @param leaseId           the budget lease the request's worst case was drawn from (issue 14), or null: the request
 *                          had a hold of its own, was served without any reservation (failed open), or the event
 *                          was written by usage-service from provider-service's record, or by a chat-service older
 *                          than the field. usage-service takes an event's numbers out of a lease's reservation only
 *                          when the event names that lease; an event without one is plain usage
 */
public record UsageRecorded(
        String requestId,
        String accountId,
        String apiKeyId,
        String model,
        String provider,
        long inputTokens,
        long cachedInputTokens,
        long outputTokens,
        long costMicroUsd,
        boolean estimated,
        Outcome outcome,
        boolean streamed,
        long latencyMs,
        Long timeToFirstTokenMs,
        Instant occurredAt,
        Kind kind,
        String leaseId) {

    public static final EventType<UsageRecorded> TYPE =
            new EventType<>("usage.recorded.v1", Topics.USAGE, UsageRecorded.class);

    public UsageRecorded {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(occurredAt, "occurredAt");
        kind = kind == null ? Kind.CHAT : kind;
    }

    /** A request's usage that drew from no budget lease. */
    public UsageRecorded(String requestId, String accountId, String apiKeyId, String model, String provider,
                         long inputTokens, long cachedInputTokens, long outputTokens, long costMicroUsd,
                         boolean estimated, Outcome outcome, boolean streamed, long latencyMs,
                         Long timeToFirstTokenMs, Instant occurredAt, Kind kind) {
        this(requestId, accountId, apiKeyId, model, provider, inputTokens, cachedInputTokens, outputTokens,
                costMicroUsd, estimated, outcome, streamed, latencyMs, timeToFirstTokenMs, occurredAt, kind, null);
    }

    /** A chat request's usage ({@link Kind#CHAT}) that drew from no budget lease. */
    public UsageRecorded(String requestId, String accountId, String apiKeyId, String model, String provider,
                         long inputTokens, long cachedInputTokens, long outputTokens, long costMicroUsd,
                         boolean estimated, Outcome outcome, boolean streamed, long latencyMs,
                         Long timeToFirstTokenMs, Instant occurredAt) {
        this(requestId, accountId, apiKeyId, model, provider, inputTokens, cachedInputTokens, outputTokens,
                costMicroUsd, estimated, outcome, streamed, latencyMs, timeToFirstTokenMs, occurredAt, Kind.CHAT);
    }

    /** The same usage, drawn from the budget lease {@code leaseId}. */
    public UsageRecorded drawnFrom(String leaseId) {
        return new UsageRecorded(requestId, accountId, apiKeyId, model, provider, inputTokens, cachedInputTokens,
                outputTokens, costMicroUsd, estimated, outcome, streamed, latencyMs, timeToFirstTokenMs, occurredAt,
                kind, leaseId);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /**
     * The first rule of the event's JSON Schema that the constructor does not check and this event breaks (no blank
     * ids, no negative count, money or time), or null when it keeps them all. Every consumer refuses (dead-letters)
     * an event with a violation rather than metering, billing or counting it.
     */
    public String violation() {
        if (requestId.isBlank()) return "requestId is blank";
        if (accountId.isBlank()) return "accountId is blank";
        if (model.isBlank()) return "model is blank";
        if (provider == null || provider.isBlank()) return "provider is missing";
        if (inputTokens < 0) return "inputTokens is negative";
        if (cachedInputTokens < 0) return "cachedInputTokens is negative";
        if (cachedInputTokens > inputTokens) return "cachedInputTokens exceeds inputTokens";
        if (outputTokens < 0) return "outputTokens is negative";
        if (costMicroUsd < 0) return "costMicroUsd is negative";
        if (latencyMs < 0) return "latencyMs is negative";
        if (timeToFirstTokenMs != null && timeToFirstTokenMs < 0) return "timeToFirstTokenMs is negative";
        if (leaseId != null && leaseId.isBlank()) return "leaseId is blank";
        return null;
    }

    /** What kind of model call a request was: on the wire the constant's name ({@code CHAT}, {@code EMBEDDINGS}). */
    public enum Kind {
        /** A chat completion ({@code /v1/chat/completions}, conversation messages): input and output tokens. */
        CHAT,
        /** An embeddings request ({@code /v1/embeddings}): input tokens only. */
        EMBEDDINGS
    }

    /** How a metered request ended. Every outcome that consumed tokens is billed. */
    public enum Outcome {
        /** The model finished its answer. */
        COMPLETED,
        /** The client went away mid-stream; the tokens produced so far are billed. */
        CLIENT_DISCONNECTED,
        /** The provider failed mid-answer; the tokens produced so far are billed. */
        UPSTREAM_ERROR
    }
}

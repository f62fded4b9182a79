package dev.chatplatform.contracts.provider;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream LLM call made by provider-service for a request: every retry and every fallback is a call
 * of its own. Operational data (latency, errors, cost to the platform), not billing: the client is billed
 * once per request by chat-service's {@code usage.recorded.v1}, for the call that answered. The event id is
 * derived from {@code requestId + ":" + attempt}.
 *
 * @param requestId          the platform request id
 * @param accountId          the account the request was made for (the record key)
 * @param attempt            1-based number of this call among the request's calls
 * @param provider           the provider called (e.g. {@code openai}, {@code simulated})
 * @param model              the platform model id this call served (a fallback's id after a fallback)
 * @param upstreamModel      the name the provider knows the model by
 * @param outcome            how the call ended
 * @param errorClass         short error name ({@code rate_limited}, {@code server_error}, {@code timeout},
 *                           {@code connection}, {@code stream_cut}...), null on success
 * @param latencyMs          from sending the call to its end
 * @param timeToFirstTokenMs to the first piece of a streamed answer, null when none arrived or not streamed
 * @param inputTokens        prompt tokens as far as known (0 when the call failed before answering)
 * @param cachedInputTokens  part of {@code inputTokens} served from the provider's prompt cache
 * @param outputTokens       completion tokens produced by this call
 * @param costMicroUsd       what the call's tokens cost at the model's price in force, integer micro-USD
 * @param estimated          token counts came from the platform's tokenizer, not the provider's report
 * @param flagVariants       feature-flag key → variant the request was served under (empty when none)
 * @param occurredAt         when the call ended
 * @param autoReason         optional: set when the caller asked for {@code model: "auto"}; why {@code model} was
 *                           picked (null otherwise)
 * @param cacheHit           optional: true when the answer was replayed from provider-service's response cache
 *                           (no upstream call was made; {@code costMicroUsd} is then 0), null or false otherwise
 */
public record LlmCallRecorded(
        String requestId,
        String accountId,
        int attempt,
        String provider,
        String model,
        String upstreamModel,
        Outcome outcome,
        String errorClass,
        long latencyMs,
        Long timeToFirstTokenMs,
        long inputTokens,
        long cachedInputTokens,
        long outputTokens,
        long costMicroUsd,
        boolean estimated,
        Map<String, String> flagVariants,
        Instant occurredAt,
        String autoReason,
        Boolean cacheHit) {

    public static final EventType<LlmCallRecorded> TYPE =
            new EventType<>("llm-call.recorded.v1", Topics.LLM_CALLS, LlmCallRecorded.class);

    public LlmCallRecorded {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(occurredAt, "occurredAt");
        flagVariants = flagVariants == null ? Map.of() : Map.copyOf(flagVariants);
    }

    /** Without the optional {@code autoReason} and {@code cacheHit}. */
    public LlmCallRecorded(String requestId, String accountId, int attempt, String provider, String model,
                           String upstreamModel, Outcome outcome, String errorClass, long latencyMs,
                           Long timeToFirstTokenMs, long inputTokens, long cachedInputTokens, long outputTokens,
                           long costMicroUsd, boolean estimated, Map<String, String> flagVariants, Instant occurredAt) {
        this(requestId, accountId, attempt, provider, model, upstreamModel, outcome, errorClass, latencyMs,
                timeToFirstTokenMs, inputTokens, cachedInputTokens, outputTokens, costMicroUsd, estimated, flagVariants,
                occurredAt, null, null);
    }

    /** How one upstream call ended. Everything but SUCCESS is a failed call. */
    public enum Outcome {
        /** The call answered; the request was served (and billed) from it. */
        SUCCESS,
        /** The call failed and the same deployment was called again. */
        RETRY,
        /** The call failed before answering and another deployment or fallback model was called next. */
        FALLBACK,
        /** The call failed and the request ended with an error (also: failed after its answer had started). */
        ERROR,
        /** The client went away while the call was answering. */
        CLIENT_GONE
    }
}

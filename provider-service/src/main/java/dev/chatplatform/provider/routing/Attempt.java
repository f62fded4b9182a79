package dev.chatplatform.provider.routing;

import dev.chatplatform.provider.upstream.TokenUsage;

/**
 * One upstream call, as reported to {@link AttemptListener}s.
 *
 * @param number            1-based, counting every call made for the request
 * @param errorClass        the {@code UpstreamException} class ({@code rate_limited}, {@code timeout}...), null on success
 * @param timeToFirstTokenMs null when no piece of the answer arrived (or the call was not streamed)
 * @param usage             what the call consumed as far as known: the provider's report on success, the
 *                          running (estimated) count when it failed midway, zero when it failed before answering
 */
public record Attempt(String requestId, String accountId, int number, RouteTarget target, Outcome outcome,
                      String errorClass, long latencyMs, Long timeToFirstTokenMs, TokenUsage usage, long costMicroUsd) {

    public enum Outcome {
        /** answered; this is the call the client is billed for */
        SUCCESS,
        /** failed; the same deployment was called again */
        RETRY,
        /** failed before answering; another deployment or fallback model was called next */
        FALLBACK,
        /** failed and nothing else was tried (or it failed after the answer had started): the client got an error */
        ERROR,
        /** the client went away while the answer was being generated */
        CLIENT_GONE
    }
}

package dev.chatplatform.analytics.rollup;

import dev.chatplatform.contracts.provider.LlmCallRecorded;

/**
 * Which {@code llm-call.recorded.v1} events count for a flag variant, by the rule rollout-service's guard judges
 * variants with (rollout-service README, "Automatic rollback"), so the numbers people see here are the numbers
 * rollouts are decided on: one observation per request, its last call. {@code SUCCESS} is a success, {@code ERROR}
 * (the request failed, or broke after its answer had started) an error; {@code RETRY} and {@code FALLBACK} are
 * intermediate attempts of a request that went on, and {@code CLIENT_GONE} is the client's doing: not observations.
 */
public final class VariantObservations {

    private VariantObservations() {
    }

    /** Whether the call is an observation that failed; null when it is not an observation at all. */
    public static Boolean failed(LlmCallRecorded.Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> false;
            case ERROR -> true;
            case RETRY, FALLBACK, CLIENT_GONE -> null;
        };
    }
}

package dev.chatplatform.rollout.guard.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.Map;

/**
 * What the guard reads of an {@code llm-call.recorded.v1} on {@code llm-calls.v1} (one upstream attempt,
 * published by provider-service). Defined here until the record lands in contracts; unknown fields are ignored.
 *
 * @param outcome      anything but SUCCESS, SUCCEEDED, COMPLETED or OK (case-insensitive) counts as an error
 * @param error        a non-null error also counts as an error
 * @param latencyMs    attempt latency
 * @param costMicroUsd attempt cost in micro-USD
 * @param flagVariants flag key → variant the call was served under
 * @param occurredAt   when the attempt ended (the event time when absent)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record LlmCallRecorded(String outcome, Object error, Boolean success, Long latencyMs, Long costMicroUsd,
                       Map<String, String> flagVariants, Instant occurredAt) {

    static final String TYPE = "llm-call.recorded.v1";

    boolean failed() {
        if (Boolean.FALSE.equals(success) || error != null) {
            return true;
        }
        if (outcome == null) {
            return false;
        }
        return switch (outcome.toUpperCase(java.util.Locale.ROOT)) {
            case "SUCCESS", "SUCCEEDED", "COMPLETED", "OK" -> false;
            default -> true;
        };
    }
}

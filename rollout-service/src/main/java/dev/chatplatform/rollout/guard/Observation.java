package dev.chatplatform.rollout.guard;

import java.time.Instant;

/** One event served under one variant of one flag. */
public record Observation(String source, String eventId, String flagKey, String variant, boolean failed,
                          Long latencyMs, Long costMicroUsd, Instant occurredAt) {
}

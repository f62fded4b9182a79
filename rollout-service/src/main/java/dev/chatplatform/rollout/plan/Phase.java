package dev.chatplatform.rollout.plan;

/**
 * One phase of a plan.
 *
 * @param name               e.g. {@code test-accounts}, {@code 10%}
 * @param percentage         the rollout percentage in force during the phase (0: allow-listed accounts only)
 * @param minDurationSeconds the phase lasts at least this long before it may advance automatically
 * @param minSamples         treatment events needed before the phase may advance automatically
 */
public record Phase(String name, int percentage, long minDurationSeconds, long minSamples) {
}

package dev.chatplatform.kit.jobs;

import java.time.Duration;

/**
 * When a failed job runs again: {@code firstRetry} after the first failure, each wait {@code multiplier} times
 * the one before, never more than {@code maxDelay}; after {@code maxAttempts} failed attempts the job is parked.
 * With the defaults (1 s, ×2, 1 h, 24) a job is tried 13 times in its first 68 minutes, then hourly, and is
 * parked after its 24th failure, about 12 hours after it was first tried.
 */
public record BackoffPolicy(Duration firstRetry, double multiplier, Duration maxDelay, int maxAttempts) {

    public BackoffPolicy {
        if (firstRetry.isNegative() || firstRetry.isZero() || maxDelay.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("need 0 < firstRetry <= maxDelay, got " + firstRetry + " and " + maxDelay);
        }
        if (multiplier < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("need multiplier >= 1 and maxAttempts >= 1");
        }
    }

    /** How long to wait after the {@code failures}-th consecutive failure (1 = the first). */
    public Duration delayAfter(int failures) {
        double millis = firstRetry.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    /** True when a job that failed {@code failures} times in a row must not be tried again by itself. */
    public boolean exhausted(int failures) {
        return failures >= maxAttempts;
    }
}

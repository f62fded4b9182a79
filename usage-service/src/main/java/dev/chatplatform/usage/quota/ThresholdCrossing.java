package dev.chatplatform.usage.quota;

import java.time.Instant;

/** A threshold an account crossed, with the e-mail address to tell (null when billing has not told us). */
record ThresholdCrossing(String accountId, String limitName, Instant periodStart, int threshold, Instant periodEnd,
                         String tier, long max, long used, Instant crossedAt, String email) {
}

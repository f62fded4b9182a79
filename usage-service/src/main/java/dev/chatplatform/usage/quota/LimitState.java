package dev.chatplatform.usage.quota;

import java.time.Instant;

/** One limit in its period: {@code remaining = max(0, max - used - held)}. */
public record LimitState(LimitName name, long max, long used, long held, Instant periodStart, Instant periodEnd) {

    public long remaining() {
        return Math.max(0, max - used - held);
    }

    /** Whole percent of {@code max} already used (settled), 100 when {@code max} is 0 and something was used. */
    int usedPercent() {
        if (max <= 0) {
            return used > 0 ? 100 : 0;
        }
        return (int) Math.min(1000, Math.floorDiv(used * 100, max));
    }
}

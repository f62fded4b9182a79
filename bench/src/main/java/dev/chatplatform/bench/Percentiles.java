package dev.chatplatform.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of measured values, as every benchmark here reports them. */
final class Percentiles {

    private Percentiles() {
    }

    /** The nearest-rank {@code p}-th percentile (0 &lt; p ≤ 100) of {@code values}. */
    static double of(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}

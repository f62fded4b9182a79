package dev.chatplatform.analytics.rollup;

import java.util.Map;
import java.util.NavigableMap;

/**
 * Latency histogram buckets that merge by addition, so percentiles of any filter and date range come from
 * summed bucket counts. Bucket {@code b < 100} holds exactly {@code b} ms; above, bucket {@code 100 + k}
 * holds {@code (100·1.02^(k-1), 100·1.02^k]} ms and stands for its geometric middle, so a percentile read
 * back is exact below 100 ms and within 1 % above (about 540 buckets up to ten minutes).
 */
public final class LatencyBuckets {

    private static final int EXACT = 100;
    private static final double GROWTH = 1.02;
    private static final double LOG_GROWTH = Math.log(GROWTH);

    private LatencyBuckets() {
    }

    public static int bucketOf(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative latency " + millis);
        }
        if (millis < EXACT) {
            return (int) millis;
        }
        int k = (int) Math.ceil(Math.log((double) millis / EXACT) / LOG_GROWTH - 1e-9);
        return EXACT + Math.max(k, 0);
    }

    /** The value a bucket stands for, in ms. */
    public static long valueOf(int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        int k = bucket - EXACT;
        return k == 0 ? EXACT : Math.round(EXACT * Math.pow(GROWTH, k - 0.5));
    }

    /**
     * The nearest-rank {@code quantile} (0 < q ≤ 1) of a histogram given as bucket → count (ascending),
     * or null when it is empty.
     */
    public static Long percentile(NavigableMap<Integer, Long> histogram, double quantile) {
        long total = histogram.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : histogram.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return valueOf(e.getKey());
            }
        }
        return valueOf(histogram.lastKey());
    }
}

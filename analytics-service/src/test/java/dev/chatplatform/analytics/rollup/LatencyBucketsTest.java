package dev.chatplatform.analytics.rollup;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyBucketsTest {

    @Test
    void latenciesBelowAHundredMillisecondsAreExact() {
        for (long ms = 0; ms < 100; ms++) {
            assertThat(LatencyBuckets.valueOf(LatencyBuckets.bucketOf(ms))).isEqualTo(ms);
        }
    }

    @Test
    void everyLatencyIsReadBackWithinOnePercent() {
        for (long ms = 100; ms <= 600_000; ms += 7) {
            long back = LatencyBuckets.valueOf(LatencyBuckets.bucketOf(ms));
            assertThat((double) back).as("%d ms", ms).isCloseTo(ms, within(ms * 0.0101 + 0.5));
        }
    }

    @Test
    void percentilesOfMergedHistogramsMatchTheExactNearestRankWithinOnePercent() {
        Random random = new Random(42);
        long[] values = new long[10_000];
        NavigableMap<Integer, Long> histogram = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(3 + random.nextGaussian() * 1.5 + 4);
            histogram.merge(LatencyBuckets.bucketOf(values[i]), 1L, Long::sum);
        }
        Arrays.sort(values);
        for (double q : new double[]{0.5, 0.95, 0.99}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat((double) LatencyBuckets.percentile(histogram, q)).as("p%s", q * 100)
                    .isCloseTo(exact, within(exact * 0.0101 + 0.5));
        }
    }

    @Test
    void anEmptyHistogramHasNoPercentile() {
        assertThat(LatencyBuckets.percentile(new TreeMap<>(), 0.5)).isNull();
    }
}

package dev.chatplatform.provider.catalog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceTest {

    private static final Instant JAN = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant MAR = Instant.parse("2025-03-01T00:00:00Z");
    private static final Instant JUN = Instant.parse("2025-06-01T00:00:00Z");

    /** sim-1: $0.50 input, $1.50 output, $0.25 cached input per million tokens. */
    private final Price sim1 = new Price("sim-1", JAN, 500_000, 1_500_000, 250_000);

    @Test
    void costIsTheExactSumWhenItDividesEvenly() {
        // 1000 * 0.5 + 2000 * 1.5 = 500 + 3000 micro-USD
        assertThat(sim1.costMicroUsd(1000, 0, 2000)).isEqualTo(3500);
    }

    @Test
    void anyFractionOfAMicroDollarIsRoundedUpSoNoUsageIsFree() {
        assertThat(sim1.costMicroUsd(1, 0, 0)).isEqualTo(1);      // 0.5 -> 1
        assertThat(sim1.costMicroUsd(3, 0, 1)).isEqualTo(3);      // 1.5 + 1.5 = 3.0 -> 3
        assertThat(sim1.costMicroUsd(3, 0, 2)).isEqualTo(5);      // 1.5 + 3.0 = 4.5 -> 5
        assertThat(sim1.costMicroUsd(0, 0, 0)).isZero();
    }

    @Test
    void cachedPromptTokensArePricedAtTheCachedRate() {
        // (1000 - 400) * 0.5 + 400 * 0.25 + 100 * 1.5 = 300 + 100 + 150
        assertThat(sim1.costMicroUsd(1000, 400, 100)).isEqualTo(550);
        assertThat(sim1.costMicroUsd(1000, 1000, 0)).isEqualTo(250);
    }

    @Test
    void largeCountsAndPricesDoNotOverflowOnTheWay() {
        // 10^12 tokens at $1000/M: the product 10^21 overflows a long, the cost (10^15 micro-USD) does not
        Price expensive = new Price("big", JAN, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L);
        assertThat(expensive.costMicroUsd(1_000_000_000_000L, 0, 0)).isEqualTo(1_000_000_000_000_000L);
        // $1/M is one micro-USD per token: the intermediate sum is ~9.2e24, the cost exactly Long.MAX_VALUE
        Price onePerToken = new Price("one", JAN, 1_000_000, 1_000_000, 1_000_000);
        assertThat(onePerToken.costMicroUsd(Long.MAX_VALUE, 0, 0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aCostThatDoesNotFitInALongIsRefusedRatherThanWrapped() {
        Price expensive = new Price("big", JAN, 10_000_000_000L, 0, 0);
        assertThatThrownBy(() -> expensive.costMicroUsd(Long.MAX_VALUE, 0, 0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void impossibleTokenCountsAreRefused() {
        assertThatThrownBy(() -> sim1.costMicroUsd(10, 11, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim1.costMicroUsd(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLatestPriceNotAfterTheInstantIsInForce() {
        Price first = new Price("m", JAN, 1, 1, 1);
        Price second = new Price("m", MAR, 2, 2, 2);
        Price future = new Price("m", JUN, 3, 3, 3);
        List<Price> book = List.of(future, first, second);

        assertThat(Price.inForceAt(book, Instant.parse("2025-02-15T12:00:00Z"))).contains(first);
        assertThat(Price.inForceAt(book, MAR)).as("effective_from is inclusive").contains(second);
        assertThat(Price.inForceAt(book, MAR.minusNanos(1000))).contains(first);
        assertThat(Price.inForceAt(book, Instant.parse("2025-05-31T23:59:59Z"))).contains(second);
        assertThat(Price.inForceAt(book, JUN.plusSeconds(1))).contains(future);
    }

    @Test
    void beforeTheFirstPriceNothingIsInForce() {
        assertThat(Price.inForceAt(List.of(new Price("m", MAR, 1, 1, 1)), JAN)).isEmpty();
        assertThat(Price.inForceAt(List.of(), JAN)).isEmpty();
    }
}

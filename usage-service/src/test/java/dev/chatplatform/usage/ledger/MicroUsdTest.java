package dev.chatplatform.usage.ledger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MicroUsdTest {

    @Test
    void showsMicroUsdAsAnExactDollarAmountWithSixDecimals() {
        assertThat(MicroUsd.toUsdString(0)).isEqualTo("0.000000");
        assertThat(MicroUsd.toUsdString(1)).isEqualTo("0.000001");
        assertThat(MicroUsd.toUsdString(94)).isEqualTo("0.000094");
        assertThat(MicroUsd.toUsdString(1_000_000)).isEqualTo("1.000000");
        assertThat(MicroUsd.toUsdString(1_234_567_890)).isEqualTo("1234.567890");
    }

    @Test
    void staysExactWhereADoubleWouldRound() {
        // 9007199254740993 is 2^53 + 1, the first integer a double cannot hold.
        assertThat(MicroUsd.toUsdString(9_007_199_254_740_993L)).isEqualTo("9007199254.740993");
        assertThat(MicroUsd.toUsdString(Long.MAX_VALUE)).isEqualTo("9223372036854.775807");
    }

    @Test
    void totalsShowTheirCostTheSameWay() {
        assertThat(new UsageTotals(2, 10, 0, 20, 123_456).costUsd()).isEqualTo("0.123456");
        assertThat(new UsageTotals(2, 10, 0, 20, 123_456).totalTokens()).isEqualTo(30);
    }
}

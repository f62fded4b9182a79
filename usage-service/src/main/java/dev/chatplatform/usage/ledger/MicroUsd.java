package dev.chatplatform.usage.ledger;

import java.math.BigDecimal;

/** Money in integer micro-USD (1 USD = 1,000,000 micro-USD), shown as an exact decimal string. */
public final class MicroUsd {

    private static final int DECIMALS = 6;

    private MicroUsd() {
    }

    /** {@code 94} → {@code "0.000094"}: always six decimals, exact, never through floating point. */
    public static String toUsdString(long microUsd) {
        return BigDecimal.valueOf(microUsd).movePointLeft(DECIMALS).toPlainString();
    }
}

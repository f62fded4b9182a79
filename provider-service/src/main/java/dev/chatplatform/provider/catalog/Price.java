package dev.chatplatform.provider.catalog;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * One row of the price book: from {@code effectiveFrom} on (until a later row), a model costs these
 * integer micro-USD per million tokens.
 */
public record Price(String modelId, Instant effectiveFrom, long inputPerMillion, long outputPerMillion,
                    long cachedInputPerMillion) {

    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

    public Price {
        if (inputPerMillion < 0 || outputPerMillion < 0 || cachedInputPerMillion < 0) {
            throw new IllegalArgumentException("prices cannot be negative");
        }
    }

    /** The price in force at {@code at}: the latest one whose {@code effectiveFrom} is not after it. */
    public static Optional<Price> inForceAt(Collection<Price> prices, Instant at) {
        return prices.stream()
                .filter(p -> !p.effectiveFrom().isAfter(at))
                .max(Comparator.comparing(Price::effectiveFrom));
    }

    /**
     * Cost in micro-USD, rounded up so that no usage is ever free:
     * {@code ceil(((input - cached) * in + cached * cachedIn + output * out) / 1_000_000)}.
     * Computed in BigInteger, so token counts times prices never overflow on the way.
     *
     * @param inputTokens  every prompt token, cached ones included
     * @param cachedTokens the part of {@code inputTokens} served from the provider's prompt cache
     * @throws ArithmeticException if the result does not fit in a long
     */
    public long costMicroUsd(long inputTokens, long cachedTokens, long outputTokens) {
        if (inputTokens < 0 || cachedTokens < 0 || outputTokens < 0 || cachedTokens > inputTokens) {
            throw new IllegalArgumentException("token counts must be >= 0 and cached <= input, got input=" + inputTokens
                    + " cached=" + cachedTokens + " output=" + outputTokens);
        }
        BigInteger total = BigInteger.valueOf(inputTokens - cachedTokens).multiply(BigInteger.valueOf(inputPerMillion))
                .add(BigInteger.valueOf(cachedTokens).multiply(BigInteger.valueOf(cachedInputPerMillion)))
                .add(BigInteger.valueOf(outputTokens).multiply(BigInteger.valueOf(outputPerMillion)));
        BigInteger[] quotientAndRemainder = total.divideAndRemainder(MILLION);
        BigInteger cost = quotientAndRemainder[1].signum() > 0 ? quotientAndRemainder[0].add(BigInteger.ONE)
                : quotientAndRemainder[0];
        return cost.longValueExact();
    }
}

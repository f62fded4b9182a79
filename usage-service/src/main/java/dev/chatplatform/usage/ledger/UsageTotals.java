package dev.chatplatform.usage.ledger;

/**
 * Usage summed over some requests.
 *
 * @param cachedInputTokens part of {@code inputTokens}, served from the provider's cache
 * @param costMicroUsd      integer micro-USD
 */
public record UsageTotals(long requests, long inputTokens, long cachedInputTokens, long outputTokens,
                          long costMicroUsd) {

    public static final UsageTotals NONE = new UsageTotals(0, 0, 0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public String costUsd() {
        return MicroUsd.toUsdString(costMicroUsd);
    }
}

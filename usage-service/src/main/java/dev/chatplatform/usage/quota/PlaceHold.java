package dev.chatplatform.usage.quota;

/**
 * A request for a hold. The worst case reserved is {@code promptTokens + grantedMaxTokens} tokens and
 * {@code ceil((promptTokens * inputPrice + grantedMaxTokens * outputPrice) / 1_000_000)} micro-USD, prices in
 * micro-USD per million tokens as provider-service's price book has them (cached-input discounts are ignored:
 * worst case).
 *
 * @param apiKeyId  the caller's API key, or null; with {@code streamed}, what the request's usage event names when
 *                  usage-service writes it itself (the hold expired unsettled)
 * @param maxTokens the client's max_tokens, or null for usage.holds.default-max-tokens
 */
public record PlaceHold(String accountId, String apiKeyId, String requestId, String model, long promptTokens,
                        Long maxTokens, long inputPriceMicroUsdPerMillion, long outputPriceMicroUsdPerMillion,
                        boolean streamed) {
}

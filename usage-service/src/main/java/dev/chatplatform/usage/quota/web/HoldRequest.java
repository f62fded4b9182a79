package dev.chatplatform.usage.quota.web;

/**
 * {@code POST /api/v1/holds}. Prices are micro-USD per million tokens, from provider-service's price book.
 *
 * @param maxTokens the client's max_tokens, or null (usage.holds.default-max-tokens is reserved)
 * @param streamed  whether the answer is streamed (null = false): kept for the usage event usage-service writes
 *                  itself if the hold expires unsettled
 */
record HoldRequest(String requestId, String model, Long promptTokens, Long maxTokens,
                   Long inputPriceMicroUsdPerMillion, Long outputPriceMicroUsdPerMillion, Boolean streamed) {
}

package dev.chatplatform.provider.catalog;

import java.time.Instant;

/**
 * A new row of the price book, in integer micro-USD per million tokens.
 *
 * @param effectiveFrom when it takes effect: now (the default) or later, never earlier
 * @param reason        why (optional): kept in the audit log with the change
 */
public record PriceRequest(Instant effectiveFrom, Long inputMicroUsdPerMtok, Long outputMicroUsdPerMtok,
                           Long cachedInputMicroUsdPerMtok, String reason) {
}

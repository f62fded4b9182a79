package dev.chatplatform.billing.metering;

import java.time.Instant;
import java.util.List;

/**
 * Metered usage (recorded from usage.v1) against usage reported to Stripe, per account, for usage that
 * occurred in [from, to). {@code unreportedTokens} is what Stripe has not acknowledged yet (pending or
 * failing batches, or accounts without a Stripe customer). These count chat usage, the one reported on the Stripe meter;
 * {@code embeddingEvents} and {@code embeddingTokens} count embeddings usage (input tokens), metered once but not
 * reported to Stripe.
 */
public record ReconciliationResponse(Instant from, Instant to, long meteredTokens, long reportedTokens,
                                     long unreportedTokens, List<Line> accounts) {

    public record Line(String accountId, long meteredEvents, long reportedEvents, long meteredTokens,
                       long reportedTokens, long unreportedTokens, long embeddingEvents, long embeddingTokens) {
    }
}

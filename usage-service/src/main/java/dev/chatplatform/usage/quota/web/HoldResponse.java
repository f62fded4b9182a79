package dev.chatplatform.usage.quota.web;

import dev.chatplatform.usage.quota.Hold;

import java.time.Instant;

/**
 * A hold: chat-service sends {@code grantedMaxTokens} upstream as max_tokens. {@code tier} is the account's tier
 * when the hold was placed (in the answer to {@code POST} only; null when a hold is read back).
 */
record HoldResponse(String holdId, String requestId, String model, String status, long grantedMaxTokens,
                    long heldTokens, long heldCostMicroUsd, Instant expiresAt, String tier) {

    static HoldResponse of(Hold h) {
        return of(h, null);
    }

    static HoldResponse of(Hold h, String tier) {
        return new HoldResponse(h.id(), h.requestId(), h.model(), h.status(), h.grantedMaxTokens(), h.heldTokens(),
                h.heldCostMicroUsd(), h.expiresAt(), tier);
    }
}

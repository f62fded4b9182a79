package dev.chatplatform.usage.quota.web;

import dev.chatplatform.usage.quota.Hold;

import java.time.Instant;

/** A hold: chat-service sends {@code grantedMaxTokens} upstream as max_tokens. */
record HoldResponse(String holdId, String requestId, String model, String status, long grantedMaxTokens,
                    long heldTokens, long heldCostMicroUsd, Instant expiresAt) {

    static HoldResponse of(Hold h) {
        return new HoldResponse(h.id(), h.requestId(), h.model(), h.status(), h.grantedMaxTokens(), h.heldTokens(),
                h.heldCostMicroUsd(), h.expiresAt());
    }
}

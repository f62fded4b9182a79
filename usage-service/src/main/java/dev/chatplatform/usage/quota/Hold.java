package dev.chatplatform.usage.quota;

import java.time.Instant;

/**
 * A reservation for one model request.
 *
 * @param status held (open), settled (by the request's usage event), released (by chat-service) or expired
 */
public record Hold(String id, String accountId, String requestId, String model, Instant monthStart, Instant dayStart,
                   long grantedMaxTokens, long heldTokens, long heldCostMicroUsd, String status, Instant createdAt,
                   Instant expiresAt) {
}

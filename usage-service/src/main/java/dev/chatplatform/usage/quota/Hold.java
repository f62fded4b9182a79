package dev.chatplatform.usage.quota;

import java.time.Instant;

/**
 * A reservation for one model request.
 *
 * @param status   held (open), settled (by the request's usage event), released (by chat-service) or expired
 * @param apiKeyId the caller's API key, or null
 * @param streamed whether the answer is streamed
 */
public record Hold(String id, String accountId, String requestId, String model, Instant monthStart, Instant dayStart,
                   long grantedMaxTokens, long heldTokens, long heldCostMicroUsd, String status, Instant createdAt,
                   Instant expiresAt, String apiKeyId, boolean streamed) {
}

package dev.chatplatform.usage.quota;

/**
 * A hold, whether this call placed it (false: the request already had one, returned as it is), and the tier of
 * the account when it was placed (chat-service decides by it whether to fail open while usage-service is down).
 */
public record HoldResult(Hold hold, boolean created, String tier) {
}

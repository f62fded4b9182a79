package dev.chatplatform.chat.conversation;

import java.time.Instant;

/**
 * A stored message. A user message carries its own token count in {@code inputTokens}; an answer carries
 * the request's metering (prompt, cached and completion tokens, cost, latency, time to first token), and for
 * model {@code auto} what was chosen ({@code auto}, else null).
 */
record Message(long seq, String id, String conversationId, String role, String content, MessageStatus status,
               String model, String requestId, Long inputTokens, Long cachedInputTokens, Long outputTokens,
               Long costMicroUsd, Long latencyMs, Long timeToFirstTokenMs, String finishReason,
               boolean historyTruncated, int droppedMessages, Instant createdAt, Instant completedAt,
               AutoChoice auto) {
}

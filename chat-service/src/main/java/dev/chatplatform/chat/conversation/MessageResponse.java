package dev.chatplatform.chat.conversation;

import java.time.Instant;

/**
 * A message as the API shows it. {@code status}: completed, generating, stopped (cut by the client or a
 * stop request: partial content) or failed (the provider failed: partial content). {@code autoModel} and
 * {@code autoReason}: what model {@code auto} chose for an answer and why (null otherwise).
 */
record MessageResponse(String id, String object, String conversationId, String role, String content, String status,
                       String model, Long inputTokens, Long cachedInputTokens, Long outputTokens, Long costMicroUsd,
                       Long latencyMs, Long timeToFirstTokenMs, String finishReason, boolean historyTruncated,
                       int droppedMessages, Instant createdAt, Instant completedAt, String autoModel,
                       String autoReason) {

    static MessageResponse of(Message m) {
        return new MessageResponse(m.id(), "conversation.message", m.conversationId(), m.role(), m.content(),
                m.status().dbValue(), m.model(), m.inputTokens(), m.cachedInputTokens(), m.outputTokens(),
                m.costMicroUsd(), m.latencyMs(), m.timeToFirstTokenMs(), m.finishReason(), m.historyTruncated(),
                m.droppedMessages(), m.createdAt(), m.completedAt(), m.auto() == null ? null : m.auto().model(),
                m.auto() == null ? null : m.auto().reason());
    }
}

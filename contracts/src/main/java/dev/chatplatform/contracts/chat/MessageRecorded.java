package dev.chatplatform.contracts.chat;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * A message of a conversation was stored for good (topic {@code conversations.v1}, key = account id): the user's
 * message and the model's answer of a turn, published together in the transaction that stores the end of the
 * answer (a turn the provider refused is removed again and publishes nothing). Carries no content (privacy).
 * The event id derives from {@code messageId}.
 *
 * @param conversationId    the conversation
 * @param messageId         the message ({@code msg_...})
 * @param accountId         the account that owns the conversation (the record key)
 * @param role              {@code user} or {@code assistant}
 * @param status            {@code completed}; an answer may also be {@code stopped} (the client left or asked to
 *                          stop) or {@code failed} (the provider failed mid-answer)
 * @param model             the model the turn was sent to
 * @param requestId         the platform request id of the turn (also the {@code requestId} of its
 *                          {@code usage.recorded.v1}), or null
 * @param inputTokens       a user message: its own tokens; an answer: the prompt tokens of the whole context sent
 * @param cachedInputTokens an answer: the part of {@code inputTokens} served from the provider's cache; else 0
 * @param outputTokens      an answer: the completion tokens produced; else 0
 * @param replacesMessageId an answer of a regeneration: the answer it replaced (deleted), else null
 * @param occurredAt        a user message: when it was written; an answer: when it ended
 */
public record MessageRecorded(
        String conversationId,
        String messageId,
        String accountId,
        String role,
        String status,
        String model,
        String requestId,
        long inputTokens,
        long cachedInputTokens,
        long outputTokens,
        String replacesMessageId,
        Instant occurredAt) {

    public static final EventType<MessageRecorded> TYPE =
            new EventType<>("message.recorded.v1", Topics.CONVERSATIONS, MessageRecorded.class);

    public MessageRecorded {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}

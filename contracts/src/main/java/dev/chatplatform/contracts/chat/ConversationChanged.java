package dev.chatplatform.contracts.chat;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A conversation was created, changed or deleted (topic {@code conversations.v1}, key = account id). Published by
 * chat-service in the transaction that stores the change. Carries no title and no system prompt (privacy): a
 * rename is an {@code UPDATED} whose {@code changedFields} contain {@code title}. The event id derives from
 * {@code conversationId} and the action (plus the change time for {@code UPDATED}).
 *
 * @param conversationId the conversation ({@code conv_...})
 * @param accountId      the account that owns it (the record key)
 * @param action         what happened
 * @param changedFields  for {@code UPDATED}: which of {@code title}, {@code model}, {@code systemPrompt} changed;
 *                       empty otherwise
 * @param model          the conversation's default model after the change (before it, for {@code DELETED})
 * @param occurredAt     when the change was stored
 */
public record ConversationChanged(
        String conversationId,
        String accountId,
        Action action,
        List<String> changedFields,
        String model,
        Instant occurredAt) {

    public static final EventType<ConversationChanged> TYPE =
            new EventType<>("conversation.changed.v1", Topics.CONVERSATIONS, ConversationChanged.class);

    public ConversationChanged {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(occurredAt, "occurredAt");
        changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
    }

    public enum Action {
        /** A new, empty conversation. */
        CREATED,
        /** Its title, default model or system prompt changed ({@code changedFields} says which). */
        UPDATED,
        /** Deleted with all its messages (no soft delete). */
        DELETED
    }
}

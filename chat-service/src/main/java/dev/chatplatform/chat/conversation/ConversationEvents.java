package dev.chatplatform.chat.conversation;

import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.kit.events.Outbox;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Publishes {@code conversations.v1} through the outbox, in the caller's transaction (the one that stores the
 * change). Only ids, models, statuses and token numbers: never a title, a system prompt or message content.
 */
@Component
class ConversationEvents {

    private final Outbox outbox;

    ConversationEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    void created(Conversation c) {
        publish(c.id() + ":created", new ConversationChanged(c.id(), c.accountId(), ConversationChanged.Action.CREATED,
                List.of(), c.model(), c.createdAt()));
    }

    /** Publishes nothing when no field actually changed. */
    void updated(Conversation before, Conversation after) {
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(before.title(), after.title())) {
            changed.add("title");
        }
        if (!Objects.equals(before.model(), after.model())) {
            changed.add("model");
        }
        if (!Objects.equals(before.systemPrompt(), after.systemPrompt())) {
            changed.add("systemPrompt");
        }
        if (!changed.isEmpty()) {
            publish(after.id() + ":updated:" + after.updatedAt(), new ConversationChanged(after.id(), after.accountId(),
                    ConversationChanged.Action.UPDATED, changed, after.model(), after.updatedAt()));
        }
    }

    void deleted(String accountId, String conversationId, String model, Instant at) {
        publish(conversationId + ":deleted", new ConversationChanged(conversationId, accountId,
                ConversationChanged.Action.DELETED, List.of(), model, at));
    }

    /** A message stored for good; {@code replaces} is the answer a regeneration replaced, or null. */
    void recorded(String accountId, Message m, String replaces) {
        MessageRecorded event = new MessageRecorded(m.conversationId(), m.id(), accountId, m.role(),
                m.status().dbValue(), m.model(), m.requestId(), orZero(m.inputTokens()), orZero(m.cachedInputTokens()),
                orZero(m.outputTokens()), replaces, m.completedAt() != null ? m.completedAt() : m.createdAt());
        outbox.publish(MessageRecorded.TYPE, m.id(), accountId, accountId, event);
    }

    private void publish(String cause, ConversationChanged event) {
        outbox.publish(ConversationChanged.TYPE, cause, event.accountId(), event.accountId(), event);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}

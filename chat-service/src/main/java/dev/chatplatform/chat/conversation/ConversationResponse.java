package dev.chatplatform.chat.conversation;

import java.time.Instant;

/** A conversation as the API shows it; {@code title} is null until set or derived from the first message. */
record ConversationResponse(String id, String object, String title, String model, String systemPrompt,
                            Instant createdAt, Instant updatedAt) {

    static ConversationResponse of(Conversation c) {
        return new ConversationResponse(c.id(), "conversation", c.title(), c.model(), c.systemPrompt(),
                c.createdAt(), c.updatedAt());
    }
}

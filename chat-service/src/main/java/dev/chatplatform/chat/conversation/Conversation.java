package dev.chatplatform.chat.conversation;

import java.time.Instant;

/** A stored conversation; {@code systemPrompt} may be null. */
record Conversation(String id, String accountId, String title, String model, String systemPrompt,
                    Instant createdAt, Instant updatedAt) {
}

package dev.chatplatform.chat.conversation;

import java.time.Instant;

/** A conversation with the first page of its messages (oldest first). */
record ConversationDetailResponse(String id, String object, String title, String model, String systemPrompt,
                                  Instant createdAt, Instant updatedAt, PageResponse<MessageResponse> messages) {

    static ConversationDetailResponse of(Conversation c, PageResponse<MessageResponse> messages) {
        return new ConversationDetailResponse(c.id(), "conversation", c.title(), c.model(), c.systemPrompt(),
                c.createdAt(), c.updatedAt(), messages);
    }
}

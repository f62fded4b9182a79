package dev.chatplatform.contracts.chat;

/** Topics written by chat-service (besides usage.v1, see the usage package). Keys are account ids. */
public final class Topics {

    /**
     * Conversation lifecycle ({@link ConversationChanged}) and stored messages ({@link MessageRecorded}): counts,
     * ids, models and token numbers only, never titles, prompts or message content. Not compacted.
     */
    public static final String CONVERSATIONS = "conversations.v1";

    private Topics() {
    }
}

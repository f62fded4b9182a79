package dev.chatplatform.chat.conversation;

import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;

/** A user message is stored completed; an answer goes from generating to completed, stopped or failed. */
enum MessageStatus {
    GENERATING, COMPLETED, STOPPED, FAILED;

    String dbValue() {
        return name().toLowerCase();
    }

    static MessageStatus ofDb(String value) {
        return valueOf(value.toUpperCase());
    }

    /** How a relayed answer ended; a stop request is the client ending it, so it is billed as such. */
    static MessageStatus of(Outcome outcome, boolean stopped) {
        if (stopped) {
            return STOPPED;
        }
        return switch (outcome) {
            case COMPLETED -> COMPLETED;
            case CLIENT_DISCONNECTED -> STOPPED;
            case UPSTREAM_ERROR -> FAILED;
        };
    }
}

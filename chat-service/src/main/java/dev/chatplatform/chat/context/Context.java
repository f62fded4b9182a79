package dev.chatplatform.chat.context;

import java.util.List;

/**
 * The prompt sent with one request.
 *
 * @param messages        system prompt (if any), kept history, then the newest user message
 * @param promptTokens    their size as counted here (the provider's count is what is billed)
 * @param droppedMessages how many older history messages were left out to fit the window
 */
public record Context(List<ContextMessage> messages, int promptTokens, int droppedMessages) {

    public Context {
        messages = List.copyOf(messages);
    }

    public boolean truncated() {
        return droppedMessages > 0;
    }
}

package dev.chatplatform.chat.context;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The truncation policy. The prompt may use the window minus what is reserved for the answer. The system
 * prompt and the newest user message always go; the history then goes from newest to oldest as long as it
 * fits, and stops at the first message that does not (older ones are never slipped in past a gap). A kept
 * history never starts with an assistant answer whose question was dropped: turns stay whole.
 * Messages are counted as OpenAI's cookbook counts them (3 tokens of framing + role + content each, 3 to
 * prime the reply), the way provider-service counts prompts.
 */
public final class ContextBuilder {

    static final int TOKENS_PER_MESSAGE = 3;
    static final int REPLY_PRIMING = 3;

    private final ToIntFunction<String> tokens;

    public ContextBuilder(ToIntFunction<String> tokens) {
        this.tokens = tokens;
    }

    /**
     * @param systemPrompt   the conversation's system prompt, or null
     * @param history        earlier messages, oldest first
     * @param latest         the user message being answered
     * @param window         the model's context window in tokens
     * @param reservedOutput tokens kept free for the answer
     * @throws ContextTooLongException when the system prompt and the latest message alone do not fit
     */
    public Context build(String systemPrompt, List<ContextMessage> history, ContextMessage latest, int window,
                         int reservedOutput) {
        int budget = window - reservedOutput;
        ContextMessage system = systemPrompt == null || systemPrompt.isBlank() ? null
                : new ContextMessage("system", systemPrompt);
        int used = REPLY_PRIMING + size(latest) + (system == null ? 0 : size(system));
        if (used > budget) {
            throw new ContextTooLongException(used, Math.max(budget, 0));
        }
        int firstKept = history.size();
        for (int i = history.size() - 1; i >= 0; i--) {
            int size = size(history.get(i));
            if (used + size > budget) {
                break;
            }
            used += size;
            firstKept = i;
        }
        while (firstKept > 0 && firstKept < history.size() && !"user".equals(history.get(firstKept).role())) {
            used -= size(history.get(firstKept)); // its question was dropped: the answer goes too
            firstKept++;
        }
        List<ContextMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(system);
        }
        messages.addAll(history.subList(firstKept, history.size()));
        messages.add(latest);
        return new Context(messages, used, firstKept);
    }

    int size(ContextMessage message) {
        return TOKENS_PER_MESSAGE + tokens.applyAsInt(message.role()) + tokens.applyAsInt(message.content());
    }
}

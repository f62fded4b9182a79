package dev.chatplatform.provider.auto;

import java.util.List;

/**
 * What auto selection looks at.
 *
 * @param promptTokens       the prompt as counted by the platform's tokenizer
 * @param requestedMaxTokens the caller's max_tokens / max_completion_tokens, null when not set
 * @param toolsRequested     the request offers tools or carries tool calls / results
 * @param texts              the system and user messages' text (where code and reasoning cues are looked for)
 */
public record AutoRequest(int promptTokens, Integer requestedMaxTokens, boolean toolsRequested, List<String> texts) {

    public AutoRequest {
        texts = List.copyOf(texts);
    }
}

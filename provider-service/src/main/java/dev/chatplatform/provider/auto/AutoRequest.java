package dev.chatplatform.provider.auto;

import java.util.List;
import java.util.Set;

/**
 * What auto selection looks at.
 *
 * @param promptTokens       the prompt as counted by the platform's tokenizer
 * @param requestedMaxTokens the caller's max_tokens / max_completion_tokens, null when not set
 * @param toolsRequested     the request offers tools or carries tool calls / results
 * @param texts              the instructions' and user messages' text (where code and reasoning cues are looked for)
 * @param inputModalities    what the messages hold ({@code text}, {@code image}, {@code file}, {@code audio}): a
 *                           candidate must take them all
 */
public record AutoRequest(int promptTokens, Integer requestedMaxTokens, boolean toolsRequested, List<String> texts,
                          Set<String> inputModalities) {

    public AutoRequest {
        texts = List.copyOf(texts);
        inputModalities = inputModalities == null ? Set.of("text") : Set.copyOf(inputModalities);
    }

    public AutoRequest(int promptTokens, Integer requestedMaxTokens, boolean toolsRequested, List<String> texts) {
        this(promptTokens, requestedMaxTokens, toolsRequested, texts, Set.of("text"));
    }
}

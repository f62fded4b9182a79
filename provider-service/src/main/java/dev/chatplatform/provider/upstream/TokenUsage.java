package dev.chatplatform.provider.upstream;

/**
 * Tokens consumed by one call so far.
 *
 * @param promptTokens     every prompt token, cached ones included
 * @param cachedTokens     the part of the prompt served from the provider's prompt cache
 * @param completionTokens tokens generated so far
 * @param estimated        true when counted locally rather than reported by the provider
 */
public record TokenUsage(int promptTokens, int cachedTokens, int completionTokens, boolean estimated) {

    public TokenUsage withCompletionTokens(int completion) {
        return new TokenUsage(promptTokens, cachedTokens, completion, estimated);
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}

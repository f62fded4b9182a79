package dev.chatplatform.provider.cache;

import dev.chatplatform.provider.upstream.ToolCall;

import java.util.List;

/**
 * A finished answer as stored in the cache: what it said, and what it consumed when it was generated.
 *
 * @param model         the catalog model that answered
 * @param provider      the provider that answered
 * @param upstreamModel the provider's name for the model
 */
public record CachedAnswer(String model, String provider, String upstreamModel, String content, String finishReason,
                           List<ToolCall> toolCalls, int promptTokens, int cachedTokens, int completionTokens,
                           boolean estimated) {

    public CachedAnswer {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}

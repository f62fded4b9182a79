package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chatplatform.provider.upstream.TokenUsage;

/** OpenAI's usage object. */
public record UsageResponse(@JsonProperty("prompt_tokens") int promptTokens,
                            @JsonProperty("completion_tokens") int completionTokens,
                            @JsonProperty("total_tokens") int totalTokens,
                            @JsonProperty("prompt_tokens_details") PromptTokensDetails promptTokensDetails) {

    public record PromptTokensDetails(@JsonProperty("cached_tokens") int cachedTokens) {
    }

    static UsageResponse of(TokenUsage usage) {
        return new UsageResponse(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(),
                new PromptTokensDetails(usage.cachedTokens()));
    }
}

package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The platform's one extension to OpenAI's format, for chat-service (which strips it before answering
 * clients). Non-stream responses carry provider, cost and whether usage was estimated; every stream chunk
 * also carries the cumulative token counts so far, so a stream cut short can still be billed.
 */
public record XPlatform(String provider,
                        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("prompt_tokens") Integer promptTokens,
                        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("completion_tokens") Integer completionTokens,
                        @JsonProperty("cost_micro_usd") long costMicroUsd,
                        @JsonProperty("usage_estimated") boolean usageEstimated) {
}

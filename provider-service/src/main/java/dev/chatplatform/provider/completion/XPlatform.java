package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The platform's one extension to OpenAI's format, for chat-service (which strips it before answering
 * clients). Non-stream responses carry provider, cost and whether usage was estimated; every stream chunk
 * also carries the cumulative token counts so far, so a stream cut short can still be billed.
 *
 * @param model    the catalog model that answered (differs from the requested one after a fallback)
 * @param attempts upstream calls made for the request (more than 1 after retries or fallbacks; only the one
 *                 that answered is counted in the usage and cost)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record XPlatform(String provider,
                        @JsonProperty("prompt_tokens") Integer promptTokens,
                        @JsonProperty("completion_tokens") Integer completionTokens,
                        @JsonProperty("cost_micro_usd") long costMicroUsd,
                        @JsonProperty("usage_estimated") boolean usageEstimated,
                        String model,
                        Integer attempts) {
}

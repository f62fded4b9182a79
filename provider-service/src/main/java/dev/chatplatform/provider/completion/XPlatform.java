package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chatplatform.provider.auto.AutoSelection;

/**
 * The platform's one extension to OpenAI's format, for chat-service (which strips it before answering
 * clients). Non-stream responses carry provider, cost and whether usage was estimated; every stream chunk
 * also carries the cumulative token counts so far, so a stream cut short can still be billed.
 *
 * @param model    the catalog model that answered (differs from the requested one after a fallback)
 * @param attempts upstream calls made for the request (more than 1 after retries or fallbacks; only the one
 *                 that answered is counted in the usage and cost) * @param auto     what {@code model: "auto"} chose and why (absent otherwise)
 * @param cacheHit true when the answer was replayed from the response cache (absent otherwise); its cost is 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record XPlatform(String provider,
                        @JsonProperty("prompt_tokens") Integer promptTokens,
                        @JsonProperty("completion_tokens") Integer completionTokens,
                        @JsonProperty("cost_micro_usd") long costMicroUsd,
                        @JsonProperty("usage_estimated") boolean usageEstimated,
                        String model,
                        Integer attempts,
                        AutoSelection auto,
                        @JsonProperty("cache_hit") Boolean cacheHit) {

    public XPlatform(String provider, Integer promptTokens, Integer completionTokens, long costMicroUsd,
                     boolean usageEstimated, String model, Integer attempts) {
        this(provider, promptTokens, completionTokens, costMicroUsd, usageEstimated, model, attempts, null, null);
    }

    XPlatform with(AutoSelection auto, Boolean cacheHit) {
        return new XPlatform(provider, promptTokens, completionTokens, costMicroUsd, usageEstimated, model, attempts,
                auto, cacheHit);
    }
}

package dev.chatplatform.provider.embedding;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * OpenAI's embeddings answer, {@code {"object":"list","data":[{"object":"embedding","index","embedding"}],"model",
 * "usage":{"prompt_tokens","total_tokens"}}}, plus {@code x_platform} (provider, cost, estimation) for chat-service.
 *
 * @param model the platform model id asked for
 */
record EmbeddingsResponse(String object, List<Item> data, String model, Usage usage,
                          @JsonProperty("x_platform") Platform platform) {

    /** @param embedding a JSON array of floats, or the base64 string of their little-endian float32 bytes */
    record Item(String object, int index, Object embedding) {
    }

    record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Platform(String provider, @JsonProperty("cost_micro_usd") long costMicroUsd,
                    @JsonProperty("usage_estimated") boolean usageEstimated) {
    }
}

package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** OpenAI's non-stream chat completion ({@code "object":"chat.completion"}) plus {@code x_platform}. */
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     UsageResponse usage, @JsonProperty("x_platform") XPlatform xPlatform) {

    public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason,
                         Object logprobs) {
    }

    public record Message(String role, String content) {
    }
}

package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One SSE event of a streamed completion ({@code "object":"chat.completion.chunk"}). {@code usage} appears
 * only on the final usage chunk (which has no choices); {@code x_platform} on every chunk.
 */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) UsageResponse usage,
                                  @JsonProperty("x_platform") XPlatform xPlatform) {

    public record Choice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason, Object logprobs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content,
                        @JsonProperty("tool_calls") List<ChatCompletionResponse.ToolCallResponse> toolCalls) {

        public Delta(String role, String content) {
            this(role, content, null);
        }
    }
}

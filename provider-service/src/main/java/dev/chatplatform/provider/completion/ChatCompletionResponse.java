package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** OpenAI's non-stream chat completion ({@code "object":"chat.completion"}) plus {@code x_platform}. */
public record ChatCompletionResponse(String id, String object, long created, String model, List<Choice> choices,
                                     UsageResponse usage, @JsonProperty("x_platform") XPlatform xPlatform) {

    public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason,
                         Object logprobs) {
    }

    public record Message(String role, String content,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("tool_calls") List<ToolCallResponse> toolCalls) {
    }

    /** OpenAI's tool call: {@code {"id","type":"function","function":{"name","arguments"}}}, with an index in streams. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallResponse(Integer index, String id, String type, Function function) {

        static List<ToolCallResponse> of(List<dev.chatplatform.provider.upstream.ToolCall> calls, boolean indexed) {
            List<ToolCallResponse> out = new java.util.ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                var c = calls.get(i);
                out.add(new ToolCallResponse(indexed ? i : null, c.id(), "function", new Function(c.name(), c.arguments())));
            }
            return out;
        }

        /** A streamed piece: id, type and name only on a call's first piece, as OpenAI streams them. */
        static ToolCallResponse of(dev.chatplatform.provider.upstream.ToolCallDelta delta) {
            return new ToolCallResponse(delta.index(), delta.id(), delta.id() == null ? null : "function",
                    new Function(delta.name(), delta.arguments()));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Function(String name, String arguments) {
    }
}

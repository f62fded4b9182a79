package dev.chatplatform.provider.upstream;

import java.util.List;

/**
 * A finished answer.
 *
 * @param finishReason OpenAI's finish_reason: "stop", "length" (cut by max_tokens), "tool_calls" or "content_filter"
 * @param toolCalls    the functions the model asked to call (empty when none)
 */
public record Generation(String content, String finishReason, TokenUsage usage, List<ToolCall> toolCalls) {

    public Generation {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public Generation(String content, String finishReason, TokenUsage usage) {
        this(content, finishReason, usage, List.of());
    }
}

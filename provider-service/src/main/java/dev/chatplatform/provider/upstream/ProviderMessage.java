package dev.chatplatform.provider.upstream;

import java.util.List;

/**
 * One conversation message with its text content flattened.
 *
 * @param content    the text, or null for an assistant message that only calls tools
 * @param name       optional participant name, or null
 * @param toolCallId for role "tool": the call it answers, or null
 * @param toolCalls  for role "assistant": the tool calls it made (empty when none)
 */
public record ProviderMessage(String role, String content, String name, String toolCallId, List<ToolCall> toolCalls) {

    public ProviderMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ProviderMessage(String role, String content, String name, String toolCallId) {
        this(role, content, name, toolCallId, List.of());
    }

    public static ProviderMessage of(String role, String content) {
        return new ProviderMessage(role, content, null, null);
    }
}

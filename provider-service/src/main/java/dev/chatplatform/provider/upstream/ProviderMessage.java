package dev.chatplatform.provider.upstream;

import dev.chatplatform.kit.openai.ContentPart;

import java.util.List;

/**
 * One conversation message with its text flattened (and its parts kept when it holds more than text).
 *
 * @param role       {@code developer}, {@code system}, {@code user}, {@code assistant} or {@code tool}; providers
 *                   without a developer role treat {@code developer} as {@code system}
 * @param content    the text, or null for an assistant message that only calls tools
 * @param name       optional participant name, or null
 * @param toolCallId for role "tool": the call it answers, or null
 * @param toolCalls  for role "assistant": the tool calls it made (empty when none)
 * @param parts      for a user message with images, files or audio: all its content parts in order, text included
 *                   ({@code content} is then its text alone); empty for a text-only message. A provider only gets
 *                   them for a model whose catalog entry takes their modality
 */
public record ProviderMessage(String role, String content, String name, String toolCallId, List<ToolCall> toolCalls,
                              List<ContentPart> parts) {

    public ProviderMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    public ProviderMessage(String role, String content, String name, String toolCallId, List<ToolCall> toolCalls) {
        this(role, content, name, toolCallId, toolCalls, List.of());
    }

    public ProviderMessage(String role, String content, String name, String toolCallId) {
        this(role, content, name, toolCallId, List.of(), List.of());
    }

    public static ProviderMessage of(String role, String content) {
        return new ProviderMessage(role, content, null, null);
    }

    /** Whether it gives instructions: {@code system}, or {@code developer} (its newer name). */
    public boolean instructions() {
        return "system".equals(role) || "developer".equals(role);
    }
}

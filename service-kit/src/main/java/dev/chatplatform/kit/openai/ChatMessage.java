package dev.chatplatform.kit.openai;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One message of the conversation.
 *
 * @param role       {@code developer}, {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content    its parts (a string content is one text part); empty for an assistant turn that only called tools
 * @param name       optional participant name, or null
 * @param toolCallId for role {@code tool}: the call it answers, else null
 * @param toolCalls  for role {@code assistant}: the calls it made (empty when none)
 */
public record ChatMessage(String role, List<ContentPart> content, String name, String toolCallId,
                          List<ToolCallRequest> toolCalls) {

    public ChatMessage {
        content = content == null ? List.of() : List.copyOf(content);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** Whether this message gives instructions ({@code developer} is the newer name of {@code system}). */
    public boolean instructions() {
        return "system".equals(role) || "developer".equals(role);
    }

    /** The text parts joined; null when the message has no content at all (tool calls only). */
    public String text() {
        if (content.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart part : content) {
            if (part.kind() == ContentPart.Kind.TEXT) {
                text.append(part.text());
            }
        }
        return text.toString();
    }

    /** The input modalities its content needs ({@code text}, {@code image}, {@code file}, {@code audio}). */
    public Set<String> modalities() {
        Set<String> modalities = new LinkedHashSet<>();
        content.forEach(part -> modalities.add(part.kind().modality()));
        return modalities;
    }
}

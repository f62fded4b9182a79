package dev.chatplatform.kit.openai;

/** A tool call of an earlier assistant turn: {@code {"id","type":"function","function":{"name","arguments"}}}. */
public record ToolCallRequest(String id, String name, String arguments) {
}

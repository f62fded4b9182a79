package dev.chatplatform.kit.openai;

import tools.jackson.databind.JsonNode;

/**
 * A function the model may call: {@code {"type":"function","function":{"name","description","parameters","strict"}}}.
 *
 * @param parameters its JSON Schema object, or null when the function takes none
 */
public record FunctionTool(String name, String description, JsonNode parameters) {
}

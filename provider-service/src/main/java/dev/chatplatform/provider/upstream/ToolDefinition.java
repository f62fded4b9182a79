package dev.chatplatform.provider.upstream;

import java.util.Map;

/**
 * A function the model may call.
 *
 * @param parameters its JSON Schema as plain Java values (maps, lists, strings, numbers, booleans)
 */
public record ToolDefinition(String name, String description, Map<String, Object> parameters) {

    public ToolDefinition {
        parameters = parameters == null ? Map.of("type", "object", "properties", Map.of()) : parameters;
    }
}

package dev.chatplatform.kit.openai;

import tools.jackson.databind.JsonNode;

/**
 * OpenAI's {@code response_format}: {@code {"type":"text"}}, {@code {"type":"json_object"}} or
 * {@code {"type":"json_schema","json_schema":{"name","schema","strict"}}}.
 *
 * @param schema the JSON Schema of a {@code json_schema} answer (null for the other types or when none was given)
 */
public record ResponseFormat(Type type, String name, JsonNode schema, boolean strict) {

    public enum Type {
        TEXT, JSON_OBJECT, JSON_SCHEMA;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the answer must be JSON (anything but plain text). */
    public boolean json() {
        return type != Type.TEXT;
    }
}

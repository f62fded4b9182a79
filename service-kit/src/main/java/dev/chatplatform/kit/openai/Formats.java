package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ErrorCode;
import tools.jackson.databind.JsonNode;

/** Reads {@code response_format}. */
final class Formats {

    private Formats() {
    }

    static ResponseFormat read(JsonNode format) {
        if (Checks.absent(format)) {
            return null;
        }
        if (!format.isObject()) {
            throw Checks.wrongType("response_format", "an object", format);
        }
        String type = Checks.requiredString(format, "type", "response_format.type");
        return switch (type) {
            case "text" -> new ResponseFormat(ResponseFormat.Type.TEXT, null, null, false);
            case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
            case "json_schema" -> {
                JsonNode spec = format.get("json_schema");
                if (Checks.absent(spec)) {
                    throw Checks.missing("response_format.json_schema");
                }
                if (!spec.isObject()) {
                    throw Checks.wrongType("response_format.json_schema", "an object", spec);
                }
                String name = Checks.requiredString(spec, "name", "response_format.json_schema.name");
                JsonNode schema = spec.get("schema");
                if (!Checks.absent(schema) && !schema.isObject()) {
                    throw Checks.wrongType("response_format.json_schema.schema", "a JSON Schema object", schema);
                }
                Boolean strict = Checks.bool(spec, "strict", "response_format.json_schema.strict");
                yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, Checks.absent(schema) ? null : schema,
                        Boolean.TRUE.equals(strict));
            }
            default -> throw Checks.invalid(ErrorCode.INVALID_VALUE, "Invalid value for 'response_format.type': '"
                    + type + "'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type");
        };
    }
}

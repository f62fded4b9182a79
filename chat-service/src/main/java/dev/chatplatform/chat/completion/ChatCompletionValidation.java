package dev.chatplatform.chat.completion;

import dev.chatplatform.kit.web.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.List;

/**
 * Checks a chat completion request the way OpenAI does: the first problem found becomes a 400 naming the
 * parameter ({@code messages[1].role}), with OpenAI's codes. Unknown fields are ignored; an explicit
 * {@code null} counts as absent for optional parameters.
 */
final class ChatCompletionValidation {

    static final List<String> ROLES = List.of("system", "user", "assistant", "tool");
    static final int MAX_STOP_SEQUENCES = 4;

    private ChatCompletionValidation() {
    }

    static ChatCompletionRequest validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("invalid_type", "The request body must be a JSON object, but got "
                    + typeName(body) + " instead.", null);
        }
        String model = requiredString(body, "model");
        messages(body.get("messages"));
        decimal(body, "temperature", 0, 2);
        decimal(body, "top_p", 0, 1);
        integerAtLeast(body, "max_tokens", 1);
        integerAtLeast(body, "max_completion_tokens", 1);
        onlyOneChoice(body);
        boolean stream = optionalBoolean(body, "stream", "stream");
        boolean includeUsage = streamOptions(body, stream);
        stop(body.get("stop"));
        return new ChatCompletionRequest(model, stream, includeUsage, (ObjectNode) body);
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (absent(value)) {
            throw missing(field);
        }
        if (!value.isString()) {
            throw wrongType(field, "a string", value);
        }
        if (value.stringValue().isBlank()) {
            throw ApiException.invalid("invalid_value", "Invalid '" + field + "': expected a non-empty string.", field);
        }
        return value.stringValue();
    }

    private static void messages(JsonNode messages) {
        if (absent(messages)) {
            throw missing("messages");
        }
        if (!messages.isArray()) {
            throw wrongType("messages", "an array of objects", messages);
        }
        if (messages.isEmpty()) {
            throw ApiException.invalid("empty_array", "Invalid 'messages': empty array. Expected an array with "
                    + "minimum length 1, but got an empty array instead.", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), "messages[" + i + "]");
        }
    }

    private static void message(JsonNode message, String param) {
        if (!message.isObject()) {
            throw wrongType(param, "an object", message);
        }
        JsonNode role = message.get("role");
        if (absent(role)) {
            throw missing(param + ".role");
        }
        if (!role.isString()) {
            throw wrongType(param + ".role", "a string", role);
        }
        if (!ROLES.contains(role.stringValue())) {
            throw ApiException.invalid("invalid_value", "Invalid value for '" + param + ".role': '" + role.stringValue()
                    + "'. Supported values are: 'system', 'user', 'assistant' and 'tool'.", param + ".role");
        }
        JsonNode content = message.get("content");
        if (absent(content)) {
            // an assistant turn that only called tools has no content
            if (!role.stringValue().equals("assistant")) {
                throw missing(param + ".content");
            }
        } else if (content.isArray()) {
            contentParts(content, param + ".content");
        } else if (!content.isString()) {
            throw wrongType(param + ".content", "a string or an array of content parts", content);
        }
        if (role.stringValue().equals("tool")) {
            JsonNode toolCallId = message.get("tool_call_id");
            if (absent(toolCallId)) {
                throw missing(param + ".tool_call_id");
            }
            if (!toolCallId.isString()) {
                throw wrongType(param + ".tool_call_id", "a string", toolCallId);
            }
        }
    }

    private static void contentParts(JsonNode parts, String param) {
        if (parts.isEmpty()) {
            throw ApiException.invalid("empty_array", "Invalid '" + param + "': empty array. Expected an array "
                    + "with minimum length 1, but got an empty array instead.", param);
        }
        for (int j = 0; j < parts.size(); j++) {
            JsonNode part = parts.get(j);
            String partParam = param + "[" + j + "]";
            if (!part.isObject()) {
                throw wrongType(partParam, "an object", part);
            }
            JsonNode type = part.get("type");
            if (absent(type)) {
                throw missing(partParam + ".type");
            }
            if (!type.isString() || !type.stringValue().equals("text")) {
                throw ApiException.invalid("invalid_value", "Invalid value for '" + partParam + ".type': '"
                        + type.asString("") + "'. Only 'text' content parts are supported.", partParam + ".type");
            }
            JsonNode text = part.get("text");
            if (absent(text)) {
                throw missing(partParam + ".text");
            }
            if (!text.isString()) {
                throw wrongType(partParam + ".text", "a string", text);
            }
        }
    }

    private static void decimal(JsonNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (absent(value)) {
            return;
        }
        if (!value.isNumber()) {
            throw wrongType(field, "a decimal", value);
        }
        double d = value.doubleValue();
        if (d < min) {
            throw ApiException.invalid("decimal_below_min_value", "Invalid '" + field + "': decimal below minimum "
                    + "value. Expected a value >= " + format(min) + ", but got " + value + " instead.", field);
        }
        if (d > max) {
            throw ApiException.invalid("decimal_above_max_value", "Invalid '" + field + "': decimal above maximum "
                    + "value. Expected a value <= " + format(max) + ", but got " + value + " instead.", field);
        }
    }

    private static void integerAtLeast(JsonNode body, String field, long min) {
        JsonNode value = body.get(field);
        if (absent(value)) {
            return;
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(field, "an integer", value);
        }
        if (value.bigIntegerValue().compareTo(BigInteger.valueOf(min)) < 0) {
            throw ApiException.invalid("integer_below_min_value", "Invalid '" + field + "': integer below minimum "
                    + "value. Expected a value >= " + min + ", but got " + value + " instead.", field);
        }
    }

    private static void onlyOneChoice(JsonNode body) {
        JsonNode n = body.get("n");
        if (absent(n)) {
            return;
        }
        if (!n.isIntegralNumber()) {
            throw wrongType("n", "an integer", n);
        }
        if (!n.bigIntegerValue().equals(BigInteger.ONE)) {
            throw ApiException.invalid("invalid_value", "Invalid 'n': only one choice per request is supported "
                    + "(n = 1), but got " + n + ".", "n");
        }
    }

    private static boolean optionalBoolean(JsonNode object, String field, String param) {
        JsonNode value = object.get(field);
        if (absent(value)) {
            return false;
        }
        if (!value.isBoolean()) {
            throw wrongType(param, "a boolean", value);
        }
        return value.booleanValue();
    }

    private static boolean streamOptions(JsonNode body, boolean stream) {
        JsonNode options = body.get("stream_options");
        if (absent(options)) {
            return false;
        }
        if (!options.isObject()) {
            throw wrongType("stream_options", "an object", options);
        }
        boolean includeUsage = optionalBoolean(options, "include_usage", "stream_options.include_usage");
        if (!stream) {
            throw ApiException.invalid("invalid_value",
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
        }
        return includeUsage;
    }

    private static void stop(JsonNode stop) {
        if (absent(stop) || stop.isString()) {
            return;
        }
        if (!stop.isArray()) {
            throw wrongType("stop", "a string or an array of strings", stop);
        }
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw ApiException.invalid("array_above_max_length", "Invalid 'stop': array too long. Expected an "
                    + "array with maximum length " + MAX_STOP_SEQUENCES + ", but got an array with length "
                    + stop.size() + " instead.", "stop");
        }
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isString()) {
                throw wrongType("stop[" + i + "]", "a string", stop.get(i));
            }
        }
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    private static ApiException missing(String param) {
        return ApiException.invalid("missing_required_parameter", "Missing required parameter: '" + param + "'.", param);
    }

    private static ApiException wrongType(String param, String expected, JsonNode actual) {
        return ApiException.invalid("invalid_type", "Invalid type for '" + param + "': expected " + expected
                + ", but got " + typeName(actual) + " instead.", param);
    }

    static String typeName(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isObject() ? "an object" : "a " + node.getNodeType().name().toLowerCase();
    }

    private static String format(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}

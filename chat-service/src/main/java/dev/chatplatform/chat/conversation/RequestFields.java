package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.web.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Field-by-field checks of a JSON body: the first problem becomes a 400 naming the field, with the codes of
 * the completion endpoint ({@code invalid_type}, {@code invalid_value}, {@code missing_required_parameter},
 * ...) plus {@code unknown_parameter} and {@code string_above_max_length}. An explicit {@code null} counts
 * as absent.
 */
final class RequestFields {

    /** Model ids as provider-service names them: letters, digits and {@code . _ : / -}. */
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}");

    private final ObjectNode body;

    private RequestFields(ObjectNode body) {
        this.body = body;
    }

    /** An absent body counts as {@code {}}. */
    static RequestFields of(JsonNode body, Set<String> known) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return new RequestFields(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
        if (!(body instanceof ObjectNode object)) {
            throw ApiException.invalid("invalid_type", "The request body must be a JSON object.", null);
        }
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                throw ApiException.invalid("unknown_parameter", "Unrecognized request argument supplied: '"
                        + name + "'. Known: " + String.join(", ", known.stream().sorted().toList()) + ".", name);
            }
        }
        return new RequestFields(object);
    }

    boolean has(String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    /** A string of at most {@code maxChars} characters, or null when absent. */
    String string(String field, int maxChars, boolean blankAllowed) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (!value.isString()) {
            throw invalidType(field, "a string", value);
        }
        String text = value.stringValue();
        if (!blankAllowed && text.isBlank()) {
            throw ApiException.invalid("invalid_value", "Invalid '" + field + "': expected a non-empty string.", field);
        }
        if (text.length() > maxChars) {
            throw ApiException.invalid("string_above_max_length", "Invalid '" + field + "': string too long. Expected a "
                    + "string with maximum length " + maxChars + ", but got a string with length " + text.length()
                    + " instead.", field);
        }
        return text;
    }

    String requiredString(String field, int maxChars) {
        if (!has(field)) {
            throw ApiException.invalid("missing_required_parameter", "Missing required parameter: '" + field + "'.", field);
        }
        return string(field, maxChars, false);
    }

    String model(String field) {
        String model = string(field, 100, false);
        if (model != null && !MODEL.matcher(model).matches()) {
            throw ApiException.invalid("invalid_value", "Invalid '" + field + "': '" + model + "' is not a model id "
                    + "(letters, digits and . _ : / -, at most 100 characters).", field);
        }
        return model;
    }

    boolean bool(String field, boolean absent) {
        if (!has(field)) {
            return absent;
        }
        JsonNode value = body.get(field);
        if (!value.isBoolean()) {
            throw invalidType(field, "a boolean", value);
        }
        return value.booleanValue();
    }

    Integer integer(String field, int min, int max) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalidType(field, "an integer", value);
        }
        int n = value.intValue();
        if (n < min || n > max) {
            throw ApiException.invalid(n < min ? "integer_below_min_value" : "integer_above_max_value", "Invalid '"
                    + field + "': expected an integer between " + min + " and " + max + ", but got " + n + " instead.", field);
        }
        return n;
    }

    Double decimal(String field, double min, double max) {
        if (!has(field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (!value.isNumber()) {
            throw invalidType(field, "a number", value);
        }
        double d = value.doubleValue();
        if (d < min || d > max) {
            throw ApiException.invalid(d < min ? "decimal_below_min_value" : "decimal_above_max_value", "Invalid '"
                    + field + "': expected a value between " + min + " and " + max + ", but got " + d + " instead.", field);
        }
        return d;
    }

    private static ApiException invalidType(String field, String expected, JsonNode actual) {
        return ApiException.invalid("invalid_type", "Invalid type for '" + field + "': expected " + expected
                + ", but got " + actual.getNodeType().name().toLowerCase() + " instead.", field);
    }
}

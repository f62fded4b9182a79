package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.ErrorCode;
import tools.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.Locale;

/** The field checks of the request model, with OpenAI's messages and codes. */
final class Checks {

    private Checks() {
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    static String requiredString(JsonNode object, String field) {
        return requiredString(object, field, field);
    }

    static String requiredString(JsonNode object, String field, String param) {
        String value = string(object, field, param);
        if (value == null) {
            throw missing(param);
        }
        if (value.isBlank()) {
            throw invalid(ErrorCode.INVALID_VALUE, "Invalid '" + param + "': expected a non-empty string.", param);
        }
        return value;
    }

    /** An optional string: null when absent. */
    static String string(JsonNode object, String field, String param) {
        JsonNode value = object.get(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isString()) {
            throw wrongType(param, "a string", value);
        }
        return value.stringValue();
    }

    static Boolean bool(JsonNode object, String field, String param) {
        JsonNode value = object.get(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(param, "a boolean", value);
        }
        return value.booleanValue();
    }

    static Double decimal(JsonNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(field, "a decimal", value);
        }
        double d = value.doubleValue();
        if (d < min) {
            throw invalid(ErrorCode.DECIMAL_BELOW_MIN_VALUE, "Invalid '" + field + "': decimal below minimum "
                    + "value. Expected a value >= " + format(min) + ", but got " + value + " instead.", field);
        }
        if (d > max) {
            throw invalid(ErrorCode.DECIMAL_ABOVE_MAX_VALUE, "Invalid '" + field + "': decimal above maximum "
                    + "value. Expected a value <= " + format(max) + ", but got " + value + " instead.", field);
        }
        return d;
    }

    /** An optional integer within [min, max] (max null: unbounded, clamped to {@code Integer.MAX_VALUE}). */
    static Integer integer(JsonNode body, String field, long min, Long max) {
        JsonNode value = body.get(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(field, "an integer", value);
        }
        BigInteger v = value.bigIntegerValue();
        if (v.compareTo(BigInteger.valueOf(min)) < 0) {
            throw invalid(ErrorCode.INTEGER_BELOW_MIN_VALUE, "Invalid '" + field + "': integer below minimum "
                    + "value. Expected a value >= " + min + ", but got " + value + " instead.", field);
        }
        if (max != null && v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(ErrorCode.INTEGER_ABOVE_MAX_VALUE, "Invalid '" + field + "': integer above maximum "
                    + "value. Expected a value <= " + max + ", but got " + value + " instead.", field);
        }
        return v.min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
    }

    static Long longInteger(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(field, "a 64-bit integer", value);
        }
        return value.longValue();
    }

    static ApiException missing(String param) {
        return invalid(ErrorCode.MISSING_REQUIRED_PARAMETER, "Missing required parameter: '" + param + "'.", param);
    }

    static ApiException wrongType(String param, String expected, JsonNode actual) {
        return invalid(ErrorCode.INVALID_TYPE, "Invalid type for '" + param + "': expected " + expected
                + ", but got " + typeName(actual) + " instead.", param);
    }

    static ApiException emptyArray(String param) {
        return invalid(ErrorCode.EMPTY_ARRAY, "Invalid '" + param + "': empty array. Expected an array with "
                + "minimum length 1, but got an empty array instead.", param);
    }

    static ApiException invalid(ErrorCode code, String message, String param) {
        return new ApiException(code, message, param);
    }

    static String typeName(JsonNode node) {
        if (absent(node)) {
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
        return node.isObject() ? "an object" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String format(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}

package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.ErrorCode;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's {@code POST /v1/embeddings} body, checked: {@code input} is one string or an array of strings
 * ({@link #MAX_INPUTS} at most, none empty), {@code encoding_format} is {@code float} (the default) or
 * {@code base64}, {@code dimensions} is a positive integer, {@code user} is a string. Token arrays
 * ({@code [1,2,3]} or {@code [[1,2],[3]]}) are refused with a 400 naming {@code input}: every provider behind the
 * platform takes text, and token ids of one tokenizer mean nothing to another. Unknown fields are ignored, as
 * OpenAI does.
 *
 * @param model          the platform model id asked for
 * @param inputs         the texts to embed, in order; the answer's {@code index} is a position in this list
 * @param encodingFormat how vectors travel back
 * @param dimensions     the vector size asked for, or null for the model's own
 * @param user           the caller's end-user id, or null
 */
public record EmbeddingsRequest(String model, List<String> inputs, EncodingFormat encodingFormat, Integer dimensions,
                                String user) {

    /** OpenAI's limit on the number of inputs in one request. */
    public static final int MAX_INPUTS = 2048;

    public enum EncodingFormat {
        /** A JSON array of numbers. */
        FLOAT,
        /** Base64 of the little-endian float32 values, as OpenAI sends them (a quarter of the JSON's size). */
        BASE64
    }

    public EmbeddingsRequest {
        inputs = List.copyOf(inputs);
    }

    /**
     * @throws ApiException 400 naming the parameter at fault
     */
    public static EmbeddingsRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(ErrorCode.INVALID_BODY, "The body must be a JSON object.", null);
        }
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw new ApiException(ErrorCode.MISSING_PARAMETER, "You must provide a model parameter.", "model");
        }
        if (!model.isString() || model.stringValue().isBlank()) {
            throw new ApiException(ErrorCode.INVALID_TYPE, "'model' must be a non-empty string.", "model");
        }
        return new EmbeddingsRequest(model.stringValue(), inputs(body.get("input")), encodingFormat(body.get("encoding_format")),
                dimensions(body.get("dimensions")), user(body.get("user")));
    }

    private static List<String> inputs(JsonNode input) {
        if (input == null || input.isNull()) {
            throw new ApiException(ErrorCode.MISSING_PARAMETER, "You must provide an input parameter.", "input");
        }
        if (input.isString()) {
            return List.of(text(input.stringValue(), "input"));
        }
        if (!input.isArray()) {
            throw new ApiException(ErrorCode.INVALID_TYPE, "'input' must be a string or an array of strings.", "input");
        }
        if (input.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_VALUE, "'input' must not be an empty array.", "input");
        }
        if (input.size() > MAX_INPUTS) {
            throw new ApiException(ErrorCode.INVALID_VALUE, "'input' holds " + input.size() + " items; at most "
                    + MAX_INPUTS + " are allowed in one request.", "input");
        }
        List<String> texts = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (item.isNumber() || item.isArray()) {
                throw new ApiException(ErrorCode.INVALID_TYPE, "'input' as token ids is not supported here; send the"
                        + " text instead.", "input");
            }
            if (!item.isString()) {
                throw new ApiException(ErrorCode.INVALID_TYPE, "'input[" + i + "]' must be a string.", "input");
            }
            texts.add(text(item.stringValue(), "input[" + i + "]"));
        }
        return texts;
    }

    private static String text(String text, String where) {
        if (text.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_VALUE, "'" + where + "' must not be empty.", "input");
        }
        return text;
    }

    private static EncodingFormat encodingFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return EncodingFormat.FLOAT;
        }
        if (format.isString()) {
            switch (format.stringValue()) {
                case "float" -> {
                    return EncodingFormat.FLOAT;
                }
                case "base64" -> {
                    return EncodingFormat.BASE64;
                }
                default -> {
                }
            }
        }
        throw new ApiException(ErrorCode.INVALID_VALUE, "'encoding_format' must be 'float' or 'base64'.",
                "encoding_format");
    }

    private static Integer dimensions(JsonNode dimensions) {
        if (dimensions == null || dimensions.isNull()) {
            return null;
        }
        if (!dimensions.isIntegralNumber() || !dimensions.canConvertToInt() || dimensions.asInt() < 1) {
            throw new ApiException(ErrorCode.INVALID_VALUE, "'dimensions' must be a positive integer.", "dimensions");
        }
        return dimensions.asInt();
    }

    private static String user(JsonNode user) {
        if (user == null || user.isNull()) {
            return null;
        }
        if (!user.isString()) {
            throw new ApiException(ErrorCode.INVALID_TYPE, "'user' must be a string.", "user");
        }
        return user.stringValue();
    }
}

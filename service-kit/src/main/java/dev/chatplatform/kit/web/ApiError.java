package dev.chatplatform.kit.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error body every API answers with, OpenAI's shape:
 * {@code {"error":{"message":"...","type":"invalid_request_error","code":"...","param":"..."}}}.
 * {@code code} is stable and machine-readable; {@code message} is for people.
 */
public record ApiError(Body error) {

    public static ApiError of(String type, String code, String message, String param) {
        return new ApiError(new Body(message, type, code, param));
    }

    public static ApiError of(ErrorCode code, String message, String param) {
        return of(code.type(), code.code(), message, param);
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Body(String message, String type, String code, String param) {
    }
}

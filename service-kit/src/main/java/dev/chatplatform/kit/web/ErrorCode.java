package dev.chatplatform.kit.web;

import org.springframework.http.HttpStatus;

import java.util.Locale;

/**
 * The error codes the whole platform answers with (service-kit, the gateway's edge and the OpenAI request model
 * in {@code dev.chatplatform.kit.openai}), each with its
 * HTTP status and OpenAI error type. The wire code is the constant's name in lower case ({@link #code()}); it is
 * part of the public API, so a constant is never renamed.
 */
public enum ErrorCode {

    /** The body is not JSON (or not readable as the declared charset). */
    INVALID_JSON(HttpStatus.BAD_REQUEST),
    /** The body or a parameter has the wrong JSON type (a string where a number belongs...). */
    INVALID_TYPE(HttpStatus.BAD_REQUEST),
    /** A value of the right type breaks a rule (Bean Validation, a range...). */
    INVALID_VALUE(HttpStatus.BAD_REQUEST),
    /** A string holds a NUL character or an unpaired UTF-16 surrogate, which no store or client can keep. */
    INVALID_CHARACTERS(HttpStatus.BAD_REQUEST),
    /** A date parameter is not an ISO-8601 date between 0001-01-01 and 9999-12-31. */
    INVALID_DATE(HttpStatus.BAD_REQUEST),
    /** The body is missing or could not be read at all. */
    INVALID_BODY(HttpStatus.BAD_REQUEST),
    /** The request line, path or headers are malformed (an encoded slash, bad percent-encoding...). */
    INVALID_REQUEST(HttpStatus.BAD_REQUEST),
    MISSING_PARAMETER(HttpStatus.BAD_REQUEST),
    /** A required field of a JSON body is absent or null (OpenAI's code for it). */
    MISSING_REQUIRED_PARAMETER(HttpStatus.BAD_REQUEST),
    /** An array that must hold at least one element is empty. */
    EMPTY_ARRAY(HttpStatus.BAD_REQUEST),
    ARRAY_ABOVE_MAX_LENGTH(HttpStatus.BAD_REQUEST),
    DECIMAL_BELOW_MIN_VALUE(HttpStatus.BAD_REQUEST),
    DECIMAL_ABOVE_MAX_VALUE(HttpStatus.BAD_REQUEST),
    INTEGER_BELOW_MIN_VALUE(HttpStatus.BAD_REQUEST),
    INTEGER_ABOVE_MAX_VALUE(HttpStatus.BAD_REQUEST),
    /** A valid parameter the chosen model (or its provider) cannot honour; the message names both. */
    UNSUPPORTED_PARAMETER(HttpStatus.BAD_REQUEST),
    /** A content part (an image, a file, audio) the chosen model does not take as input; the message names both. */
    UNSUPPORTED_CONTENT(HttpStatus.BAD_REQUEST),
    /** The prompt plus the requested answer do not fit the model's context window. */
    CONTEXT_LENGTH_EXCEEDED(HttpStatus.BAD_REQUEST),
    /** {@code model: "auto"} found no model the caller's tier allows that fits the request. */
    NO_MODEL_AVAILABLE(HttpStatus.BAD_REQUEST),
    MISSING_HEADER(HttpStatus.BAD_REQUEST),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "authentication_error"),
    NOT_FOUND(HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),
    REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "server_error"),
    /** A dependency the request needs (the database, a service behind the gateway) cannot be reached; retry. */
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "server_error"),
    /** The gateway's service did not answer in time. */
    UPSTREAM_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "server_error");

    private final HttpStatus status;
    private final String type;

    ErrorCode(HttpStatus status) {
        this(status, "invalid_request_error");
    }

    ErrorCode(HttpStatus status, String type) {
        this.status = status;
        this.type = type;
    }

    /** The stable, machine-readable code on the wire. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public HttpStatus status() {
        return status;
    }

    /** OpenAI's error type: {@code invalid_request_error}, {@code authentication_error}, {@code server_error}. */
    public String type() {
        return type;
    }

    /** The code for an error the servlet container or a framework raised with nothing but a status. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 502, 503 -> SERVICE_UNAVAILABLE;
            case 504 -> UPSTREAM_TIMEOUT;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}

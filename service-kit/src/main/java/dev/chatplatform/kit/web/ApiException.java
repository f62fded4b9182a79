package dev.chatplatform.kit.web;

import org.springframework.http.HttpStatus;

/**
 * A failure the caller should see as it is: its HTTP status, OpenAI error type, stable code, message
 * and (when one field is to blame) the parameter name.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final String param;

    public ApiException(HttpStatus status, String type, String code, String message, String param) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public ApiException(ErrorCode code, String message, String param) {
        this(code.status(), code.type(), code.code(), message, param);
    }

    public static ApiException invalid(String code, String message, String param) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", code, message, param);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", code, message, null);
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "authentication_error", code, message, null);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "permission_error", code, message, null);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError toError() {
        return ApiError.of(type, code, getMessage(), param);
    }
}

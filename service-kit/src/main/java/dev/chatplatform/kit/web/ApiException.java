package dev.chatplatform.kit.web;

import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure the caller should see as it is: its HTTP status, OpenAI error type, stable code, message,
 * (when one field is to blame) the parameter name and (for a refusal that will pass, a 429 or 503) how long
 * to wait before trying again, answered as {@code Retry-After}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final String param;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String type, String code, String message, String param) {
        this(status, type, code, message, param, null);
    }

    private ApiException(HttpStatus status, String type, String code, String message, String param, Duration retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
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

    /** The same failure, telling the caller to wait {@code wait} before trying again (null: no advice). */
    public ApiException withRetryAfter(Duration wait) {
        return new ApiException(status, type, code, getMessage(), param, wait);
    }

    public HttpStatus status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** {@link #retryAfter()} as a {@code Retry-After} value: whole seconds, rounded up, at least 1. */
    public Optional<String> retryAfterHeader() {
        return retryAfter().map(wait -> Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }

    public ApiError toError() {
        return ApiError.of(type, code, getMessage(), param);
    }
}

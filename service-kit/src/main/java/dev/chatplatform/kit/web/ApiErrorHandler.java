package dev.chatplatform.kit.web;

import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/** Turns every failure into an {@link ApiError}: a 4xx that names the problem, or a 500 without internals. */
@RestControllerAdvice
public class ApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        return respond(e.status(), e.toError());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof DatabindException mapping && !mapping.getPath().isEmpty()) {
            String param = pathOf(mapping);
            return bad("invalid_type", "Invalid value for '" + param + "': " + firstLine(mapping.getOriginalMessage()), param);
        }
        if (cause instanceof JacksonException json) {
            return bad("invalid_json", "The request body is not valid JSON: " + firstLine(json.getOriginalMessage()), null);
        }
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            return bad("invalid_value", firstLine(cause.getMessage()), null);
        }
        return bad("invalid_body", "The request body is missing or unreadable.", null);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
        FieldError field = e.getBindingResult().getFieldError();
        if (field == null) {
            return bad("invalid_value", e.getBindingResult().getAllErrors().getFirst().getDefaultMessage(), null);
        }
        return bad("invalid_value", "Invalid value for '" + field.getField() + "': " + field.getDefaultMessage(), field.getField());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ApiError> violation(ConstraintViolationException e) {
        var v = e.getConstraintViolations().iterator().next();
        String param = v.getPropertyPath().toString();
        return bad("invalid_value", "Invalid value for '" + param + "': " + v.getMessage(), param);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> mismatch(MethodArgumentTypeMismatchException e) {
        return bad("invalid_type", "Invalid value for '" + e.getName() + "'.", e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParam(MissingServletRequestParameterException e) {
        return bad("missing_parameter", "Missing required parameter '" + e.getParameterName() + "'.", e.getParameterName());
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ApiError> missingHeader(MissingRequestHeaderException e) {
        return bad("missing_header", "Missing required header '" + e.getHeaderName() + "'.", e.getHeaderName());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ApiError.of("invalid_request_error",
                "unsupported_media_type", "Content-Type must be application/json.", null));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(HttpStatus.NOT_ACCEPTABLE, ApiError.of("invalid_request_error",
                "not_acceptable", "This endpoint answers application/json or text/event-stream.", null));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return respond(HttpStatus.METHOD_NOT_ALLOWED, ApiError.of("invalid_request_error",
                "method_not_allowed", "Method " + e.getMethod() + " is not allowed here.", null));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return respond(HttpStatus.NOT_FOUND, ApiError.of("invalid_request_error",
                "not_found", "No such endpoint: /" + e.getResourcePath(), null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("unexpected error", e);
        return respond(HttpStatus.INTERNAL_SERVER_ERROR, ApiError.of("server_error",
                "internal_error", "The server failed to handle the request; it has been logged.", null));
    }

    private static ResponseEntity<ApiError> bad(String code, String message, String param) {
        return respond(HttpStatus.BAD_REQUEST, ApiError.of("invalid_request_error", code, message, param));
    }

    /** Always JSON, whatever the client accepts: a stream-only client still learns why it was refused. */
    private static ResponseEntity<ApiError> respond(HttpStatusCode status, ApiError error) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(error);
    }

    private static String pathOf(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

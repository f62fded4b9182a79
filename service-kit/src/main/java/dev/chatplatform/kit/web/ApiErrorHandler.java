package dev.chatplatform.kit.web;

import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns every failure into an {@link ApiError}: a 4xx that names the problem, a 503 with {@code Retry-After} while
 * the database cannot be reached (and {@code Retry-After} on any {@link ApiException} that carries a wait), or a 500 without internals. Only the 500 is logged at ERROR with its stack trace:
 * bad input is the client's problem and an outage is logged once per request at WARN, so neither floods the logs.
 */
@RestControllerAdvice
public class ApiErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);
    /** How long a client should wait before retrying while the database is unreachable. */
    static final String RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        e.retryAfterHeader().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        return response.body(e.toError());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof BoundedBodyRequest.TooLarge tooLarge) {
            return tooLarge(tooLarge);
        }
        if (cause instanceof InvalidCharactersException chars) {
            String param = pathOf(chars);
            return respond(ErrorCode.INVALID_CHARACTERS, (param.isEmpty() ? "The request body " : "Invalid value for '" + param + "': it ")
                    + chars.getOriginalMessage() + ".", param.isEmpty() ? null : param);
        }
        if (cause instanceof DatabindException mapping && !mapping.getPath().isEmpty()) {
            String param = pathOf(mapping);
            return respond(ErrorCode.INVALID_TYPE, "Invalid value for '" + param + "': " + firstLine(mapping.getOriginalMessage()), param);
        }
        if (cause instanceof JacksonException json) {
            return respond(ErrorCode.INVALID_JSON, "The request body is not valid JSON: " + firstLine(json.getOriginalMessage()), null);
        }
        if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
            return respond(ErrorCode.INVALID_VALUE, firstLine(cause.getMessage()), null);
        }
        return respond(ErrorCode.INVALID_BODY, "The request body is missing or unreadable.", null);
    }

    @ExceptionHandler(BoundedBodyRequest.TooLarge.class)
    ResponseEntity<ApiError> tooLarge(BoundedBodyRequest.TooLarge e) {
        return respond(ErrorCode.REQUEST_TOO_LARGE, e.getMessage(), null);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ApiError> invalid(MethodArgumentNotValidException e) {
        FieldError field = e.getBindingResult().getFieldError();
        if (field == null) {
            return respond(ErrorCode.INVALID_VALUE, e.getBindingResult().getAllErrors().getFirst().getDefaultMessage(), null);
        }
        return respond(ErrorCode.INVALID_VALUE, "Invalid value for '" + field.getField() + "': " + field.getDefaultMessage(), field.getField());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ApiError> violation(ConstraintViolationException e) {
        var v = e.getConstraintViolations().iterator().next();
        String param = v.getPropertyPath().toString();
        return respond(ErrorCode.INVALID_VALUE, "Invalid value for '" + param + "': " + v.getMessage(), param);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> mismatch(MethodArgumentTypeMismatchException e) {
        return respond(ErrorCode.INVALID_TYPE, "Invalid value for '" + e.getName() + "'.", e.getName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParam(MissingServletRequestParameterException e) {
        return respond(ErrorCode.MISSING_PARAMETER, "Missing required parameter '" + e.getParameterName() + "'.", e.getParameterName());
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ApiError> missingHeader(MissingRequestHeaderException e) {
        return respond(ErrorCode.MISSING_HEADER, "Missing required header '" + e.getHeaderName() + "'.", e.getHeaderName());
    }

    /**
     * Also a multipart or form body: the platform's APIs take JSON only (multipart parsing is off). A Content-Type
     * that is no media type at all is refused earlier, by {@link EdgeFilter}.
     */
    @ExceptionHandler({HttpMediaTypeNotSupportedException.class, MultipartException.class})
    ResponseEntity<ApiError> mediaType(Exception e) {
        return respond(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json.", null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(ErrorCode.NOT_ACCEPTABLE, "This endpoint answers application/json or text/event-stream.", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return respond(ErrorCode.METHOD_NOT_ALLOWED, "Method " + TextChecks.printable(e.getMethod()) + " is not allowed here.", null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return respond(ErrorCode.NOT_FOUND, "No such endpoint: /" + TextChecks.printable(e.getResourcePath()), null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        if (databaseUnavailable(e)) {
            log.warn("database unavailable: {}", e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .contentType(MediaType.APPLICATION_JSON).body(ApiError.of(ErrorCode.SERVICE_UNAVAILABLE,
                            "The service cannot reach its database; retry later.", null));
        }
        if (e instanceof ErrorResponse framework && framework.getStatusCode().is4xxClientError()) {
            // any other Spring MVC refusal (a missing path variable's type, a bad request binding...): keep its status
            String detail = framework.getBody().getDetail();
            return respond(ErrorCode.forStatus(framework.getStatusCode().value()),
                    detail == null ? "The request is invalid." : TextChecks.printable(detail), null);
        }
        log.error("unexpected error", e);
        return respond(ErrorCode.INTERNAL_ERROR, "The server failed to handle the request; it has been logged.", null);
    }

    /**
     * Whether {@code e} comes from a database that cannot be reached (no connection from the pool, a connection
     * lost, the server shutting down), as opposed to a query the database refused.
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // a rollback that failed on the lost connection hides the failure that made it roll back
            if (t instanceof TransactionSystemException tse && tse.getApplicationException() != null
                    && databaseUnavailable(tse.getApplicationException())) {
                return true;
            }
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")
                    || sql.getSQLState().equals("55000") && String.valueOf(sql.getMessage()).contains("accepting connections"))) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ApiError> respond(ErrorCode code, String message, String param) {
        return respond(code.status(), ApiError.of(code, message, param));
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
                path.append(TextChecks.printable(ref.getPropertyName()));
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
        return TextChecks.printable(nl < 0 ? message : message.substring(0, nl));
    }
}

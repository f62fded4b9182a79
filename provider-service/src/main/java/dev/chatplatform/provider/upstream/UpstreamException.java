package dev.chatplatform.provider.upstream;

import dev.chatplatform.kit.web.ApiException;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider call that failed: the provider answered an error status, or the connection failed or timed out
 * ({@code status} 0). Adapters translate their SDK's exceptions into this one, so routing decides retries
 * and fallbacks the same way for every provider.
 *
 * @see #retryable()
 */
public class UpstreamException extends RuntimeException {

    private final String provider;
    private final int status;
    private final Duration retryAfter;
    private final String errorClass;

    public UpstreamException(String provider, int status, Duration retryAfter, String errorClass, String message,
                             Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.status = status;
        this.retryAfter = retryAfter;
        this.errorClass = errorClass;
    }

    public String provider() {
        return provider;
    }

    /** The provider's HTTP status, or 0 when no answer came (connection refused, timeout, stream cut). */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A short stable name for events and metrics: rate_limited, server_error, timeout, connection, bad_request... */
    public String errorClass() {
        return errorClass;
    }

    /** 429, 408, 5xx and network failures may succeed later or elsewhere; other 4xx never will. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /**
     * How this failure, the last of a request's attempts, is told to the caller: the provider's refusal of the
     * request as a 400, its rate limiting as a 429 (with the provider's {@code Retry-After} when it sent one),
     * anything else as a 502.
     *
     * @param model the model as the message names it ({@code 'gpt-4o'}, or "the model")
     */
    public ApiException toApiException(String model) {
        return switch (status) {
            case 400, 413, 422 -> new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "upstream_rejected",
                    "The provider refused the request: " + getMessage(), null);
            case 429 -> new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "upstream_rate_limited",
                    "The providers serving " + model + " are rate limiting; try again later.", null)
                    .withRetryAfter(retryAfter);
            default -> new ApiException(HttpStatus.BAD_GATEWAY, "api_error", "upstream_error",
                    "The providers serving " + model + " failed (" + errorClass + "). Try again later.", null);
        };
    }

    public static String classify(int status) {
        return switch (status) {
            case 0 -> "connection";
            case 400, 422 -> "bad_request";
            case 401, 403 -> "unauthorized";
            case 404 -> "not_found";
            case 408 -> "timeout";
            case 429 -> "rate_limited";
            default -> status >= 500 ? "server_error" : "client_error";
        };
    }

    /** Parses a Retry-After header: delta seconds (what LLM providers send); null when absent or unreadable. */
    public static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            return seconds < 0 ? null : Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException e) {
            try {
                var at = java.time.ZonedDateTime.parse(value.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException ignored) {
                return null;
            }
        }
    }
}

package dev.chatplatform.chat.provider;

import dev.chatplatform.kit.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.time.Duration;

/** How provider-service's failures are told to the caller, the same way by every endpoint. */
public final class ProviderErrors {

    private static final Logger log = LoggerFactory.getLogger(ProviderErrors.class);

    private ProviderErrors() {
    }

    /**
     * A refusal by provider-service. Its 4xx (unknown model, unpriced model, bad parameter, a 429 when every
     * deployment is at its concurrency limit or rate limited) is the caller's business and passes through as it is;
     * so does its 503 (no deployment can serve the model right now). A 401 means the platform's own identity was not
     * accepted upstream (a misconfiguration, not the caller's fault), and any other 5xx means the provider failed:
     * both 502.
     */
    public static ApiException rejection(JsonMapper json, int status, String body) {
        HttpStatus httpStatus = HttpStatus.resolve(status);
        boolean passesThrough = httpStatus != null && status != 401
                && (httpStatus.is4xxClientError() || httpStatus == HttpStatus.SERVICE_UNAVAILABLE);
        if (!passesThrough) {
            log.warn("provider-service answered HTTP {}: {}", status, body.length() > 500 ? body.substring(0, 500) : body);
            return unavailable();
        }
        JsonNode error = MissingNode.getInstance();
        try {
            error = json.readTree(body).path("error");
        } catch (JacksonException e) {
            // not OpenAI-shaped: described below
        }
        boolean server = httpStatus.is5xxServerError();
        return new ApiException(httpStatus,
                error.path("type").asString(server ? "api_error" : "invalid_request_error"),
                error.path("code").asString(server ? "upstream_unavailable" : "upstream_rejected"),
                error.path("message").asString("The model provider refused the request (HTTP " + status + ")."),
                error.path("param").isString() ? error.path("param").stringValue() : null);
    }

    /**
     * As {@link #rejection(JsonMapper, int, String)}, with provider-service's {@code Retry-After} (whole seconds)
     * passed on with a status that passes through.
     */
    public static ApiException rejection(JsonMapper json, HttpResponse<?> response, String body) {
        ApiException rejection = rejection(json, response.statusCode(), body);
        if (rejection.status().value() != response.statusCode()) {
            return rejection;
        }
        return rejection.withRetryAfter(response.headers().firstValue(HttpHeaders.RETRY_AFTER)
                .filter(seconds -> seconds.matches("\\d{1,9}"))
                .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds))).orElse(null));
    }

    /**
     * provider-service's 2xx answer as a JSON object; anything else is a provider that failed ({@link #unavailable}).
     *
     * @param what what the answer should have been, for the log ("a completion", "an embeddings list")
     */
    public static ObjectNode answer(JsonMapper json, byte[] body, String what) {
        try {
            if (json.readTree(body) instanceof ObjectNode answer) {
                return answer;
            }
        } catch (JacksonException e) {
            // fall through
        }
        log.warn("provider-service answered 2xx with a body that is not {}", what);
        throw unavailable();
    }

    public static ApiException unavailable() {
        return new ApiException(HttpStatus.BAD_GATEWAY, "server_error", "upstream_unavailable",
                "The model provider is unavailable; try again shortly.", null);
    }
}

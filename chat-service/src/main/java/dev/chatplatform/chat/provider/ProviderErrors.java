package dev.chatplatform.chat.provider;

import dev.chatplatform.kit.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/** How provider-service's failures are told to the caller, the same way by every endpoint. */
public final class ProviderErrors {

    private static final Logger log = LoggerFactory.getLogger(ProviderErrors.class);

    private ProviderErrors() {
    }

    /**
     * A refusal by provider-service. Its 4xx (unknown model, unpriced model, bad parameter) is the caller's
     * business and passes through as it is; a 401 means the platform's own identity was not accepted
     * upstream (a misconfiguration, not the caller's fault), and 5xx means the provider failed: both 502.
     */
    public static ApiException rejection(JsonMapper json, int status, String body) {
        HttpStatus httpStatus = HttpStatus.resolve(status);
        if (httpStatus == null || !httpStatus.is4xxClientError() || status == 401) {
            log.warn("provider-service answered HTTP {}: {}", status, body.length() > 500 ? body.substring(0, 500) : body);
            return unavailable();
        }
        JsonNode error = MissingNode.getInstance();
        try {
            error = json.readTree(body).path("error");
        } catch (JacksonException e) {
            // not OpenAI-shaped: described below
        }
        return new ApiException(httpStatus,
                error.path("type").asString("invalid_request_error"),
                error.path("code").asString("upstream_rejected"),
                error.path("message").asString("The model provider refused the request (HTTP " + status + ")."),
                error.path("param").isString() ? error.path("param").stringValue() : null);
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

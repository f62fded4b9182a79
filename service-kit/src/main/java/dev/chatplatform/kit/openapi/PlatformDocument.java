package dev.chatplatform.kit.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts every service's document shares: its title, the bearer credential scheme, OpenAI's error shape
 * ({@code dev.chatplatform.kit.web.ApiError}) as the {@code ApiError} schema, and the error responses operations
 * refer to (429 and 503 by operations marked {@link RetryLater}). No {@code servers}: the document describes paths
 * as the gateway serves them, on whatever host it runs.
 */
final class PlatformDocument implements GlobalOpenApiCustomizer {

    static final String SECURITY_SCHEME = "bearer";
    static final String ERROR = "Error";
    static final String UNAUTHENTICATED = "Unauthenticated";
    static final String INSUFFICIENT_SCOPE = "InsufficientScope";
    static final String TOO_MANY_REQUESTS = "TooManyRequests";
    static final String UNAVAILABLE = "Unavailable";

    private final String service;

    PlatformDocument(String service) {
        this.service = service;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.setServers(null);
        openApi.info(new Info().title(service).version("v1")
                .description("The HTTP API of " + service + " as the gateway routes it (see the platform's README)."));
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        components.addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("API key (sk-cp-...) or OIDC JWT")
                .description("`Authorization: Bearer <key>`: a platform API key, or an OIDC token when the gateway "
                        + "has an issuer. The scopes an operation lists are the credential scopes that let a caller "
                        + "in (any one of them; `admin` has every scope)."));
        components.addSchemas("ApiError", apiError());
        // springdoc's own reading of ApiError (from ApiErrorHandler) names its nested record plainly "Body"
        if (components.getSchemas().get("Body") instanceof Schema<?> body && body.getProperties() != null
                && body.getProperties().keySet().equals(Set.of("message", "type", "code", "param"))) {
            components.getSchemas().remove("Body");
        }
        components.addResponses(ERROR, error("An error, in OpenAI's shape; `code` is stable and machine-readable.",
                "invalid_request_error", "invalid_value", "'limit' must be between 1 and 100.", "limit"));
        components.addResponses(UNAUTHENTICATED, error("No credential, or one that is unknown, revoked or expired.",
                "authentication_error", "invalid_api_key", "Incorrect API key provided.", null));
        components.addResponses(INSUFFICIENT_SCOPE, error("The credential lacks the scopes this operation needs.",
                "permission_error", "insufficient_scope",
                "This endpoint needs the 'chat' scope; this credential has 'analyst'.", null));
        components.addResponses(TOO_MANY_REQUESTS, error("Refused before it started, for a limit: the account's quota "
                        + "(`code` names it, e.g. `messages_per_day`; no `Retry-After`: it resets with its period), "
                        + "its rate, or the provider's concurrency or rate (`concurrency_limited`, "
                        + "`upstream_rate_limited`, with `Retry-After`). Nothing was billed.",
                "rate_limit_error", "concurrency_limited",
                "Every deployment of 'gpt-4o-mini' is at its concurrency limit; try again shortly.", null)
                .addHeaderObject("Retry-After", retryAfter()));
        components.addResponses(UNAVAILABLE, error("Refused before it started: something the request needs is "
                        + "unavailable (`budget_service_unavailable`, `upstream_unavailable`, `retry_later`). Nothing "
                        + "was billed; try again after `Retry-After` when it is given.",
                "server_error", "upstream_unavailable",
                "No provider can serve 'gpt-4o-mini' right now; try again shortly.", null)
                .addHeaderObject("Retry-After", retryAfter()));
    }

    private static Header retryAfter() {
        return new Header().description("Seconds to wait before trying again.")
                .schema(new JsonSchema().types(Set.of("integer")));
    }

    private static Schema<?> apiError() {
        Map<String, Schema> body = new LinkedHashMap<>();
        body.put("message", string("For people: what went wrong and how to fix it."));
        body.put("type", string("OpenAI's error type: `invalid_request_error`, `authentication_error`, "
                + "`permission_error`, `not_found_error`, `rate_limit_error`, `server_error`..."));
        body.put("code", string("Stable and machine-readable: `invalid_value`, `insufficient_scope`, `model_not_found`..."));
        body.put("param", new JsonSchema().types(new LinkedHashSet<>(List.of("string", "null"))) // ordered: the file is compared
                .description("The request parameter or field at fault, or null."));
        return new JsonSchema().types(Set.of("object")).required(List.of("error"))
                .description("Every error the platform answers with (OpenAI's shape).")
                .addProperty("error", new JsonSchema().types(Set.of("object"))
                        .required(List.of("message", "type", "code", "param")).properties(body));
    }

    private static Schema<?> string(String description) {
        return new JsonSchema().types(Set.of("string")).description(description);
    }

    private static ApiResponse error(String description, String type, String code, String message, String param) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("message", message);
        example.put("type", type);
        example.put("code", code);
        example.put("param", param);
        return new ApiResponse().description(description).content(new Content().addMediaType("application/json",
                new MediaType().schema(new JsonSchema().$ref("#/components/schemas/ApiError"))
                        .example(Map.of("error", example))));
    }
}

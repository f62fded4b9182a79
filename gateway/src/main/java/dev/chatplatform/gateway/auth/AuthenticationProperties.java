package dev.chatplatform.gateway.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * How the gateway authenticates callers, under {@code gateway.*}.
 *
 * @param adminApiKey bootstrap admin key ({@code PLATFORM_ADMIN_API_KEY}); blank means there is none
 * @param publicPaths path patterns served without a key: the gateway's own actuator, Stripe's webhooks, and
 *                    the analytics dashboard page and its assets (a browser cannot send a bearer key when it
 *                    opens a page; the page holds no data and calls the analytics API with the key), the
 *                    OpenAPI document and Swagger UI (they describe the public API; the UI calls it with a key)
 */
@ConfigurationProperties("gateway")
public record AuthenticationProperties(
        String adminApiKey,
        @DefaultValue({"/actuator/**", "/webhooks/**", "/api/v1/analytics/dashboard", "/api/v1/analytics/dashboard/**",
                "/v1/openapi.json", "/docs", "/docs/**"}) List<String> publicPaths) {
}

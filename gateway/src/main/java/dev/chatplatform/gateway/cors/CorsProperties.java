package dev.chatplatform.gateway.cors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Cross-origin access, under {@code gateway.cors.*}.
 *
 * @param allowedOrigins   origins whose pages may call the API ({@code GATEWAY_CORS_ALLOWED_ORIGINS}, comma-separated):
 *                         exact ({@code https://app.example.com}) or with wildcards ({@code https://*.example.com},
 *                         {@code http://localhost:[*]}), or {@code *} for any origin (only without credentials).
 *                         Empty (the default): no page of another origin may call the API
 * @param allowCredentials whether {@code Access-Control-Allow-Credentials: true} is sent
 *                         ({@code GATEWAY_CORS_ALLOW_CREDENTIALS}); off by default, as API keys travel in the
 *                         Authorization header, not in cookies
 * @param maxAge           how long a browser may cache a preflight's answer ({@code GATEWAY_CORS_MAX_AGE});
 *                         Chromium caps it at 2 hours, Firefox at 24
 * @param allowedHeaders   request headers a page may send: the API's own and those the official OpenAI SDKs add
 * @param exposedHeaders   response headers a page may read besides the CORS-safelisted ones
 */
@ConfigurationProperties("gateway.cors")
public record CorsProperties(
        List<String> allowedOrigins,
        @DefaultValue("false") boolean allowCredentials,
        @DefaultValue("2h") Duration maxAge,
        @DefaultValue({"Authorization", "Content-Type", "Accept", "X-Request-Id", "X-Platform-Cache",
                "OpenAI-Organization", "OpenAI-Project", "OpenAI-Beta", "User-Agent",
                "X-Stainless-Lang", "X-Stainless-Package-Version", "X-Stainless-OS", "X-Stainless-Arch",
                "X-Stainless-Runtime", "X-Stainless-Runtime-Version", "X-Stainless-Retry-Count",
                "X-Stainless-Timeout", "X-Stainless-Helper-Method", "X-Stainless-Poll-Helper",
                "X-Stainless-Custom-Poll-Interval"}) List<String> allowedHeaders,
        @DefaultValue({"X-Request-Id", "Retry-After",
                "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                "X-RateLimit-Limit-Tokens", "X-RateLimit-Remaining-Tokens", "X-RateLimit-Reset-Tokens",
                "X-Conversation-Id", "X-User-Message-Id", "X-Assistant-Message-Id",
                "X-History-Truncated", "X-History-Dropped-Messages", "X-Platform-Auto-Model"}) List<String> exposedHeaders) {

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (allowCredentials && allowedOrigins.stream().anyMatch(o -> o.equals("*"))) {
            throw new IllegalArgumentException("GATEWAY_CORS_ALLOWED_ORIGINS may not be '*' while "
                    + "GATEWAY_CORS_ALLOW_CREDENTIALS is true: list the origins that may send credentials.");
        }
        for (String origin : allowedOrigins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/?#\\s]+/?")) {
                throw new IllegalArgumentException("GATEWAY_CORS_ALLOWED_ORIGINS: '" + origin + "' is not an origin; "
                        + "write scheme://host[:port] with no path, e.g. https://app.example.com");
            }
        }
    }
}

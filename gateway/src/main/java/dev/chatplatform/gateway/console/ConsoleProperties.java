package dev.chatplatform.gateway.console;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The web console, under {@code gateway.console.*}.
 *
 * @param enabled      whether the gateway serves the console at {@code /} ({@code CONSOLE_ENABLED}); off, every
 *                     path outside the API answers 401/404 as before
 * @param oidcClientId the console's client id at the OIDC issuer ({@code CONSOLE_OIDC_CLIENT_ID}): a public client
 *                     (no secret; authorization code with PKCE) whose redirect URI is {@code <gateway>/auth/callback}.
 *                     Blank = the console offers API-key sign-in only. Needs {@code OIDC_ISSUER_URI} too.
 * @param oidcScopes   the scopes the console asks for ({@code CONSOLE_OIDC_SCOPES})
 */
@ConfigurationProperties("gateway.console")
public record ConsoleProperties(
        @DefaultValue("true") boolean enabled,
        String oidcClientId,
        @DefaultValue("openid email profile") String oidcScopes) {
}

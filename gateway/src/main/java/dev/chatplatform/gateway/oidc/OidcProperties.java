package dev.chatplatform.gateway.oidc;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * OIDC JWT authentication, under {@code gateway.oidc.*}; off while {@code issuerUri} is blank.
 *
 * @param issuerUri               the issuer ({@code OIDC_ISSUER_URI}), compared exactly with each token's
 *                                {@code iss}; its discovery document names the JWKS
 * @param jwksUri                 the JWKS ({@code OIDC_JWKS_URI}); blank = from the discovery document
 * @param audience                required {@code aud} value ({@code OIDC_AUDIENCE}); blank = not checked
 * @param clockSkew               tolerance on {@code exp} and {@code nbf}
 * @param jwksCacheTtl            how long fetched keys are used before they are fetched again
 * @param jwksRefreshMinInterval  at most two JWKS fetches per interval, however many unknown key ids arrive
 */
@ConfigurationProperties("gateway.oidc")
public record OidcProperties(
        String issuerUri,
        String jwksUri,
        String audience,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue("5m") Duration jwksCacheTtl,
        @DefaultValue("30s") Duration jwksRefreshMinInterval) {

    public boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }
}

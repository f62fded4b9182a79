package dev.chatplatform.gateway.oidc;

/**
 * What the gateway uses of a verified JWT.
 *
 * @param subject       the {@code sub} claim
 * @param verifiedEmail the {@code email} claim when {@code email_verified} is true, else null
 */
public record VerifiedToken(String subject, String verifiedEmail) {
}

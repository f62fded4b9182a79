package dev.chatplatform.gateway.oidc;

/** The issuer's discovery document or JWKS could not be fetched, so no token can be checked right now. */
public class IssuerUnavailableException extends RuntimeException {

    public IssuerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

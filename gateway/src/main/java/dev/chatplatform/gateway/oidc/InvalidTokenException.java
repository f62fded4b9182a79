package dev.chatplatform.gateway.oidc;

/** The token is not one the gateway accepts: malformed, badly signed, expired, or for someone else. */
public class InvalidTokenException extends RuntimeException {

    private final boolean expired;

    public InvalidTokenException(String message, boolean expired, Throwable cause) {
        super(message, cause);
        this.expired = expired;
    }

    public boolean expired() {
        return expired;
    }
}

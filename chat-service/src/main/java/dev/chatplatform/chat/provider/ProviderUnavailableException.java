package dev.chatplatform.chat.provider;

/** provider-service could not be reached, timed out, or broke the connection before answering. */
public class ProviderUnavailableException extends RuntimeException {

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.chatplatform.chat.budget;

/** usage-service could not be reached, timed out, or answered in a way that is not a hold nor a refusal. */
class UsageServiceUnavailableException extends RuntimeException {

    UsageServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

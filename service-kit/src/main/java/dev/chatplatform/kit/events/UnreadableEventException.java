package dev.chatplatform.kit.events;

/** A Kafka record that is not a valid platform event; the message says why (for the dead-letter topic). */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public UnreadableEventException(String reason) {
        super(reason);
    }

    /** Refuses an event of {@code type} that breaks a rule: {@code violation} says which (null: none, nothing happens). */
    public static void refuse(String type, String violation) {
        if (violation != null) {
            throw new UnreadableEventException("invalid " + type + ": " + violation);
        }
    }
}

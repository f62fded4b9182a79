package dev.chatplatform.kit.events;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * Which failures of a consumer are permanent: the record is not a valid event ({@link UnreadableEventException},
 * also thrown by a subscription's check), or the database refuses its effect by a constraint
 * ({@link DataIntegrityViolationException}). Applying such a record again can only fail again, so it is
 * dead-lettered. Everything else (the database or the broker is away, a lock timed out) is transient and retried
 * for as long as it takes: skipping it would lose the event (billable usage among them).
 */
final class Failures {

    private Failures() {
    }

    static boolean isPermanent(Throwable failure) {
        return permanentCause(failure) != null;
    }

    /** The first line of the permanent cause's message, else of the deepest cause's. */
    static String reason(Throwable failure) {
        Throwable reason = permanentCause(failure);
        if (reason == null) {
            reason = failure;
            while (reason.getCause() != null && reason.getCause() != reason) {
                reason = reason.getCause();
            }
        }
        String message = reason.getMessage();
        if (message == null || message.isBlank()) {
            return reason.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static Throwable permanentCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnreadableEventException || t instanceof DataIntegrityViolationException) {
                return t;
            }
        }
        return null;
    }
}

package dev.chatplatform.contracts.audit;

/** The platform's audit topic, written by every service that owns admin actions. Keys are {@code <targetType>:<targetId>}. */
public final class Topics {

    /** Every admin action on the platform: who, when, what, before and after, why ({@link AuditRecorded}). */
    public static final String AUDIT = "audit.v1";

    private Topics() {
    }
}

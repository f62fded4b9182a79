package dev.chatplatform.analytics.audit;

import java.time.Instant;

/**
 * A search of the audit log: every filter is optional (null = any); entries at or after {@code from} and before
 * {@code until}, newest first, after the entry {@code after} (the last one of the previous page).
 *
 * @param text free text, matched case-insensitively against action, target, actor, key, reason, before and after
 */
public record AuditQuery(String text, String service, String actor, String action, String targetType,
                         String targetId, Instant from, Instant until, String after, int limit) {
}

package dev.chatplatform.rollout.flag.web;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.web.ApiException;

/** Body of kill, revive, and a plan's advance, pause and resume: why (kept in the audit log). */
public record ReasonRequest(String reason) {

    /** The reason given (stripped, at most {@link AuditLog#MAX_REASON} characters); 400 {@code missing_reason} without one. */
    public static String required(ReasonRequest request) {
        String reason = AuditLog.reason(request == null ? null : request.reason());
        if (reason == null) {
            throw ApiException.invalid("missing_reason", "say why: the reason is kept in the audit log", "reason");
        }
        return reason;
    }
}

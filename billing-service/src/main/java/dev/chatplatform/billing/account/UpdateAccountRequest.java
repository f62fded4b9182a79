package dev.chatplatform.billing.account;

import dev.chatplatform.kit.audit.AuditLog;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A partial update; absent fields stay as they are.
 *
 * @param name   display name
 * @param status active or suspended (admin only; deletion has its own endpoint)
 * @param reason why (admin only, optional): kept in the audit log with the change
 */
public record UpdateAccountRequest(
        @Size(max = 100) String name,
        @Pattern(regexp = "active|suspended", message = "must be one of active, suspended") String status,
        @Size(max = AuditLog.MAX_REASON) String reason) {
}

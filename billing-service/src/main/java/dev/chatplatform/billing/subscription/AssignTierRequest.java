package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.account.Tier;
import dev.chatplatform.kit.audit.AuditLog;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An admin sets an account's tier.
 *
 * @param tier   the tier
 * @param reason why (optional): kept in the audit log with the change
 */
public record AssignTierRequest(
        @NotNull @Pattern(regexp = Tier.WIRE_PATTERN, message = "must be one of free, basic, pro, enterprise") String tier,
        @Size(max = AuditLog.MAX_REASON) String reason) {

    Tier toTier() {
        return Tier.fromWire(tier).orElseThrow();
    }
}

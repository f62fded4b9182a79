package dev.chatplatform.billing.account;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A partial update; absent fields stay as they are.
 *
 * @param name   display name
 * @param status active or suspended (admin only; deletion has its own endpoint)
 */
public record UpdateAccountRequest(
        @Size(max = 100) String name,
        @Pattern(regexp = "active|suspended", message = "must be one of active, suspended") String status) {
}

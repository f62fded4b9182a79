package dev.chatplatform.billing.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * @param email unique per account, compared ignoring case
 * @param name  display name, optional
 * @param tier  free (default), basic, pro or enterprise
 */
public record CreateAccountRequest(
        @NotBlank @Email @Size(max = 254) String email,
        @Size(max = 100) String name,
        @Pattern(regexp = Tier.WIRE_PATTERN, message = "must be one of free, basic, pro, enterprise") String tier) {
}

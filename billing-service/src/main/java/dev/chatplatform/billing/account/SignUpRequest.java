package dev.chatplatform.billing.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

/**
 * Self-service sign-up. With an OIDC identity the verified e-mail of the token wins over {@code email}.
 *
 * @param email needed when the identity carries no verified e-mail
 * @param name  display name, optional
 */
public record SignUpRequest(@Email @Size(max = 254) String email, @Size(max = 100) String name) {
}

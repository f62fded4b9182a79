package dev.chatplatform.billing.account;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** An account's id. Identities may carry ids that are not accounts here (the bootstrap {@code platform-admin}). */
public record AccountId(UUID value) {

    public AccountId {
        Objects.requireNonNull(value, "value");
    }

    public static AccountId random() {
        return new AccountId(UUID.randomUUID());
    }

    /** The id in {@code text}, or empty when it cannot be an account id (callers answer 404, not 400). */
    public static Optional<AccountId> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AccountId(UUID.fromString(text)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}

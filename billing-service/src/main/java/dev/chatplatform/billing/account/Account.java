package dev.chatplatform.billing.account;

import dev.chatplatform.contracts.billing.AccountChanged;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An account's current state. Immutable: a change returns the next state with {@code version + 1}, and
 * {@link #toEvent()} is what that version publishes.
 */
public record Account(
        AccountId id,
        String email,
        String name,
        Tier tier,
        AccountStatus status,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!email.equals(normalizeEmail(email))) {
            throw new IllegalArgumentException("e-mail must be stored trimmed and lower-cased");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /** A new, active account at version 1. The e-mail is lower-cased: accounts are unique by it, ignoring case. */
    public static Account open(String email, String name, Tier tier, Instant now) {
        return new Account(AccountId.random(), normalizeEmail(email), name, tier == null ? Tier.FREE : tier,
                AccountStatus.ACTIVE, 1, now, now);
    }

    public static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public Account withName(String newName, Instant now) {
        return new Account(id, email, newName, tier, status, version + 1, createdAt, now);
    }

    public Account withStatus(AccountStatus newStatus, Instant now) {
        return new Account(id, email, name, tier, newStatus, version + 1, createdAt, now);
    }

    public Account withTier(Tier newTier, Instant now) {
        return new Account(id, email, name, newTier, status, version + 1, createdAt, now);
    }

    /**
     * The deleted next version: the e-mail and name are erased (the e-mail becomes a placeholder unique to
     * this account, so the address can sign up again) and the tier drops to free.
     */
    public Account deleted(Instant now) {
        return new Account(id, "deleted-" + id + "@deleted.invalid", null, Tier.FREE, AccountStatus.DELETED,
                version + 1, createdAt, now);
    }

    public boolean isDeleted() {
        return status == AccountStatus.DELETED;
    }

    /** Makes this version's event id unique and stable: replaying the same version never mints a new event. */
    public String eventCause() {
        return id + ":v" + version;
    }

    public AccountChanged toEvent() {
        return new AccountChanged(id.toString(), email, name, tier.wire(), status.wire(), version, updatedAt);
    }
}

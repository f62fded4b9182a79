package dev.chatplatform.contracts.billing;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * The full current state of an account, published on every change to the compacted {@code accounts.v1}.
 * Consumers keep the highest {@code version} they have seen; an older version never overwrites a newer one.
 *
 * @param accountId the account id (the record key)
 * @param email     the owner's e-mail, unique
 * @param name      display name
 * @param tier      the billing tier: free, basic, pro or enterprise
 * @param status    active, suspended or deleted
 * @param version   increases by one with every change
 * @param changedAt when this version was written
 */
public record AccountChanged(
        String accountId,
        String email,
        String name,
        String tier,
        String status,
        long version,
        Instant changedAt) {

    public static final EventType<AccountChanged> TYPE =
            new EventType<>("account.changed.v1", Topics.ACCOUNTS, AccountChanged.class);

    public AccountChanged {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}

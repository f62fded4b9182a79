package dev.chatplatform.gateway.account;

import dev.chatplatform.contracts.billing.AccountChanged;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest known status of every account. Per account the highest {@code version} wins, so a late older
 * record never reactivates a suspended or deleted account. One thread writes (the topic follower); request
 * threads read.
 * <p>
 * An account the view has never heard of counts as active: its key or OIDC link may reach the gateway a moment
 * before its first {@code accounts.v1} record, and the bootstrap admin is no account at all. A tombstone
 * (billing publishes a {@code deleted} state instead, but a compacted topic may carry one) marks the account
 * deleted for good rather than forgetting it, since forgetting would make it count as active again; account ids
 * are never reused.
 */
public class AccountView {

    public static final String ACTIVE = "active";
    public static final String SUSPENDED = "suspended";
    public static final String DELETED = "deleted";

    private record Entry(String status, long version) {
    }

    /** Outranks every published version: nothing follows a tombstone. */
    private static final Entry TOMBSTONE = new Entry(DELETED, Long.MAX_VALUE);

    private final Map<String, Entry> byAccount = new ConcurrentHashMap<>();

    /** Applies one state record; returns false when it is not newer than what the view already holds. */
    public boolean apply(AccountChanged account) {
        boolean[] applied = {false};
        byAccount.compute(account.accountId(), (id, current) -> {
            if (current != null && current.version() >= account.version()) {
                return current;
            }
            applied[0] = true;
            return new Entry(account.status(), account.version());
        });
        return applied[0];
    }

    /** A tombstone on the compacted topic: the account is gone, and stays refused. */
    public void remove(String accountId) {
        byAccount.put(accountId, TOMBSTONE);
    }

    /** The account's status when it is not {@value #ACTIVE} ({@code suspended}, {@code deleted}); empty when it may call. */
    public Optional<String> inactiveStatus(String accountId) {
        Entry entry = accountId == null ? null : byAccount.get(accountId);
        return entry == null || ACTIVE.equals(entry.status()) ? Optional.empty() : Optional.of(entry.status());
    }

    /** How many accounts (any status) the view holds. */
    public int size() {
        return byAccount.size();
    }
}

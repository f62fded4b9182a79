package dev.chatplatform.gateway.quota;

import dev.chatplatform.contracts.usage.QuotaChanged;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest known quota state of every account. Per account the highest {@code version} wins, so a late
 * older record never undoes a tier change. One thread writes (the topic follower); request threads read.
 */
public class QuotaView {

    private final Map<String, QuotaChanged> byAccount = new ConcurrentHashMap<>();

    /** Applies one state record; returns false when it is not newer than what the view already holds. */
    public boolean apply(QuotaChanged quota) {
        boolean[] applied = {false};
        byAccount.compute(quota.accountId(), (account, current) -> {
            if (current != null && current.version() >= quota.version()) {
                return current;
            }
            applied[0] = true;
            return quota;
        });
        return applied[0];
    }

    /** Forgets an account (a tombstone on the compacted topic): it falls back to the default limits. */
    public void remove(String accountId) {
        byAccount.remove(accountId);
    }

    /** The account's latest quota state; empty when usage-service has published none yet. */
    public Optional<QuotaChanged> find(String accountId) {
        return Optional.ofNullable(byAccount.get(accountId));
    }

    public int size() {
        return byAccount.size();
    }
}

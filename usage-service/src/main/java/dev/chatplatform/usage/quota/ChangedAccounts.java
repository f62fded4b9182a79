package dev.chatplatform.usage.quota;

import dev.chatplatform.kit.tx.AfterCommit;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts whose quota state changed since {@link QuotaStatePublisher} last published it. An account is marked
 * when the transaction of its change commits (never for a change that rolled back); a change that commits while
 * its account is being published marks it again, so the next round publishes the newer state.
 */
@Component
class ChangedAccounts {

    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    /** Marks the account once the current transaction commits (at once when there is none). */
    void mark(String accountId) {
        AfterCommit.run(() -> changed.add(accountId));
    }

    /** Takes up to {@code max} marked accounts off the set. */
    List<String> take(int max) {
        List<String> taken = new ArrayList<>(Math.min(max, changed.size()));
        for (Iterator<String> it = changed.iterator(); it.hasNext() && taken.size() < max; ) {
            taken.add(it.next());
            it.remove();
        }
        return taken;
    }

    /** Marks accounts again whose publication failed. */
    void putBack(Collection<String> accountIds) {
        changed.addAll(accountIds);
    }
}

package dev.chatplatform.chat.budget;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tier of each account as usage-service last reported it with a hold, least recently used forgotten first:
 * what decides fail-open or fail-closed while usage-service cannot be reached. Per replica and in memory on
 * purpose: it is only a fallback, and an account not known here falls back to failing closed.
 */
final class KnownTiers {

    private final Map<String, String> tiers;

    KnownTiers(int capacity) {
        this.tiers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void remember(String accountId, String tier) {
        if (tier != null && !tier.isBlank()) {
            tiers.put(accountId, tier);
        }
    }

    /** The account's last reported tier, or null when this replica has not seen one. */
    synchronized String of(String accountId) {
        return tiers.get(accountId);
    }
}

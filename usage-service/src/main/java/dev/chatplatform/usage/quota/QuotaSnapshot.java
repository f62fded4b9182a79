package dev.chatplatform.usage.quota;

import java.util.List;

/** An account's tier and every limit in its current period. */
public record QuotaSnapshot(String accountId, Tier tier, List<LimitState> limits) {

    public QuotaSnapshot {
        limits = List.copyOf(limits);
    }

    /** exhausted: some limit has nothing left; warning: some limit is 80 % used; ok otherwise. */
    public String status() {
        if (limits.stream().anyMatch(l -> l.remaining() == 0)) {
            return "exhausted";
        }
        if (limits.stream().anyMatch(l -> l.usedPercent() >= 80)) {
            return "warning";
        }
        return "ok";
    }
}

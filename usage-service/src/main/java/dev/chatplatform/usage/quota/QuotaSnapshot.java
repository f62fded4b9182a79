package dev.chatplatform.usage.quota;

import java.util.Arrays;
import java.util.List;

/** An account's tier and every limit in its current period. */
public record QuotaSnapshot(String accountId, Tier tier, List<LimitState> limits) {

    public QuotaSnapshot {
        limits = List.copyOf(limits);
    }

    /** The account's limits on {@code tier} as the ledger row (already as of the current day) counts them. */
    static QuotaSnapshot of(String accountId, Tier tier, LedgerRow row) {
        return new QuotaSnapshot(accountId, tier,
                Arrays.stream(LimitName.values()).map(n -> row.limit(n, tier.max(n))).toList());
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

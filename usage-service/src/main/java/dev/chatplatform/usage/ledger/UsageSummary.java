package dev.chatplatform.usage.ledger;

import java.util.List;

/**
 * An account's usage over a period: the total, one line per model (by model id), one per provider and one per kind
 * of call that has usage (chat, embeddings).
 */
public record UsageSummary(String accountId, UsagePeriod period, UsageTotals total, List<ModelUsage> byModel,
                           List<ProviderUsage> byProvider, List<KindUsage> byKind) {

    public UsageSummary {
        byModel = List.copyOf(byModel);
        byProvider = List.copyOf(byProvider);
        byKind = List.copyOf(byKind);
    }
}

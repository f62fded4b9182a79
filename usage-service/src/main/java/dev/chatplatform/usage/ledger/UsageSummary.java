package dev.chatplatform.usage.ledger;

import java.util.List;

/** An account's usage over a period: the total, one line per model (by model id) and one per provider. */
public record UsageSummary(String accountId, UsagePeriod period, UsageTotals total, List<ModelUsage> byModel,
                           List<ProviderUsage> byProvider) {

    public UsageSummary {
        byModel = List.copyOf(byModel);
        byProvider = List.copyOf(byProvider);
    }
}

package dev.chatplatform.usage.ledger;

import java.util.List;

/** An account's usage over a period: the total and one line per model, by model id. */
public record UsageSummary(String accountId, UsagePeriod period, UsageTotals total, List<ModelUsage> byModel) {

    public UsageSummary {
        byModel = List.copyOf(byModel);
    }
}

package dev.chatplatform.usage.ledger.web;

import dev.chatplatform.usage.ledger.ModelUsage;
import dev.chatplatform.usage.ledger.UsageSummary;
import dev.chatplatform.usage.ledger.UsageTotals;

import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /api/v1/usage/me}. {@code to} is inclusive; {@code costUsd} is {@code costMicroUsd} as an exact
 * decimal string ({@code 94} → {@code "0.000094"}).
 */
record UsageSummaryResponse(
        String accountId,
        LocalDate from,
        LocalDate to,
        long requests,
        long inputTokens,
        long cachedInputTokens,
        long outputTokens,
        long totalTokens,
        long costMicroUsd,
        String costUsd,
        List<ModelUsageResponse> byModel) {

    static UsageSummaryResponse of(UsageSummary summary) {
        UsageTotals t = summary.total();
        return new UsageSummaryResponse(summary.accountId(), summary.period().from(), summary.period().to(),
                t.requests(), t.inputTokens(), t.cachedInputTokens(), t.outputTokens(), t.totalTokens(),
                t.costMicroUsd(), t.costUsd(), summary.byModel().stream().map(ModelUsageResponse::of).toList());
    }

    record ModelUsageResponse(
            String model,
            long requests,
            long inputTokens,
            long cachedInputTokens,
            long outputTokens,
            long totalTokens,
            long costMicroUsd,
            String costUsd) {

        static ModelUsageResponse of(ModelUsage usage) {
            UsageTotals t = usage.totals();
            return new ModelUsageResponse(usage.model(), t.requests(), t.inputTokens(), t.cachedInputTokens(),
                    t.outputTokens(), t.totalTokens(), t.costMicroUsd(), t.costUsd());
        }
    }
}

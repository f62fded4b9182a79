package dev.chatplatform.usage.ledger.web;

import dev.chatplatform.usage.ledger.KindUsage;
import dev.chatplatform.usage.ledger.ModelUsage;
import dev.chatplatform.usage.ledger.ProviderUsage;
import dev.chatplatform.usage.ledger.UsageSummary;
import dev.chatplatform.usage.ledger.UsageTotals;
import dev.chatplatform.usage.quota.LimitState;
import dev.chatplatform.usage.quota.QuotaSnapshot;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /api/v1/usage/me}. {@code to} is inclusive; {@code costUsd} is {@code costMicroUsd} as an exact
 * decimal string ({@code 94} → {@code "0.000094"}). {@code byKind} splits the usage by kind of call ({@code chat},
 * {@code embeddings}; only kinds with usage). {@code quota} is the account's current periods.
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
        List<ModelUsageResponse> byModel,
        List<ProviderUsageResponse> byProvider,
        List<KindUsageResponse> byKind,
        QuotaResponse quota) {

    static UsageSummaryResponse of(UsageSummary summary, QuotaSnapshot quota) {
        UsageTotals t = summary.total();
        return new UsageSummaryResponse(summary.accountId(), summary.period().from(), summary.period().to(),
                t.requests(), t.inputTokens(), t.cachedInputTokens(), t.outputTokens(), t.totalTokens(),
                t.costMicroUsd(), t.costUsd(), summary.byModel().stream().map(ModelUsageResponse::of).toList(),
                summary.byProvider().stream().map(ProviderUsageResponse::of).toList(),
                summary.byKind().stream().map(KindUsageResponse::of).toList(), QuotaResponse.of(quota));
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

    record ProviderUsageResponse(
            String provider,
            long requests,
            long inputTokens,
            long cachedInputTokens,
            long outputTokens,
            long totalTokens,
            long costMicroUsd,
            String costUsd) {

        static ProviderUsageResponse of(ProviderUsage usage) {
            UsageTotals t = usage.totals();
            return new ProviderUsageResponse(usage.provider(), t.requests(), t.inputTokens(), t.cachedInputTokens(),
                    t.outputTokens(), t.totalTokens(), t.costMicroUsd(), t.costUsd());
        }
    }

    /** @param kind {@code chat} or {@code embeddings} */
    record KindUsageResponse(
            String kind,
            long requests,
            long inputTokens,
            long outputTokens,
            long totalTokens,
            long costMicroUsd,
            String costUsd) {

        static KindUsageResponse of(KindUsage usage) {
            UsageTotals t = usage.totals();
            return new KindUsageResponse(usage.kind().name().toLowerCase(java.util.Locale.ROOT), t.requests(),
                    t.inputTokens(), t.outputTokens(), t.totalTokens(), t.costMicroUsd(), t.costUsd());
        }
    }

    record QuotaResponse(String tier, String status, long requestsPerMinute, long tokensPerMinute,
                         List<String> allowedModels, List<LimitResponse> limits) {

        static QuotaResponse of(QuotaSnapshot s) {
            return new QuotaResponse(s.tier().name(), s.status(), s.tier().requestsPerMinute(),
                    s.tier().tokensPerMinute(), s.tier().allowedModels(),
                    s.limits().stream().map(LimitResponse::of).toList());
        }
    }

    record LimitResponse(String name, long max, long used, long held, long remaining, Instant periodStart,
                         Instant periodEnd) {

        static LimitResponse of(LimitState l) {
            return new LimitResponse(l.name().wireName(), l.max(), l.used(), l.held(), l.remaining(), l.periodStart(),
                    l.periodEnd());
        }
    }
}

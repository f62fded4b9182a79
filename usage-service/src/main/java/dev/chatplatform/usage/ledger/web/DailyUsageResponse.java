package dev.chatplatform.usage.ledger.web;

import dev.chatplatform.usage.ledger.DailyUsage;
import dev.chatplatform.usage.ledger.UsagePeriod;
import dev.chatplatform.usage.ledger.UsageTotals;

import java.time.LocalDate;
import java.util.List;

/** {@code GET /api/v1/usage/me/daily}: one entry per UTC day with usage, oldest first (days without usage are left out). */
record DailyUsageResponse(String accountId, LocalDate from, LocalDate to, List<Day> days) {

    static DailyUsageResponse of(String accountId, UsagePeriod period, List<DailyUsage> days) {
        return new DailyUsageResponse(accountId, period.from(), period.to(), days.stream().map(d -> {
            UsageTotals t = d.totals();
            return new Day(d.date(), t.requests(), t.inputTokens(), t.cachedInputTokens(), t.outputTokens(),
                    t.totalTokens(), t.costMicroUsd(), t.costUsd());
        }).toList());
    }

    record Day(LocalDate date, long requests, long inputTokens, long cachedInputTokens, long outputTokens,
               long totalTokens, long costMicroUsd, String costUsd) {
    }
}

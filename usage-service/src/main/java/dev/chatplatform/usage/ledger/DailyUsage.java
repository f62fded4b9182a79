package dev.chatplatform.usage.ledger;

import java.time.LocalDate;

/** An account's usage on one UTC day. */
public record DailyUsage(LocalDate date, UsageTotals totals) {
}

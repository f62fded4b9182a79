package dev.chatplatform.usage.ledger;

import java.time.LocalDate;

/** An account's usage of one model through one provider on one UTC day (a line of the CSV export). */
public record UsageLine(LocalDate date, String model, String provider, UsageTotals totals) {
}

package dev.chatplatform.usage.ledger;

/** The usage of one model (the platform model id the caller asked for). */
public record ModelUsage(String model, UsageTotals totals) {
}

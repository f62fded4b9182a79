package dev.chatplatform.usage.ledger;

/** The usage served by one provider. */
public record ProviderUsage(String provider, UsageTotals totals) {
}

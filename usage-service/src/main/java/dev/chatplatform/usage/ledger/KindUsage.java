package dev.chatplatform.usage.ledger;

import dev.chatplatform.contracts.usage.UsageRecorded;

/** The usage of one kind of model call (chat completions or embeddings). */
public record KindUsage(UsageRecorded.Kind kind, UsageTotals totals) {
}

package dev.chatplatform.chat.completion;

import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;

/**
 * How a relayed stream ended.
 *
 * @param outcome            completed, cut by the client, or failed upstream
 * @param usage              what was consumed up to that point
 * @param timeToFirstTokenMs time to the first content chunk, or null when none arrived
 */
record RelayResult(Outcome outcome, MeteredUsage usage, Long timeToFirstTokenMs) {
}

package dev.chatplatform.chat.completion;

import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import tools.jackson.databind.JsonNode;

/**
 * How a relayed stream ended.
 *
 * @param outcome            completed, cut by the client (or stopped on request), or failed upstream
 * @param usage              what was consumed up to that point, or null when the provider reported nothing
 * @param timeToFirstTokenMs time to the first content chunk, or null when none arrived
 * @param content            the answer's text as relayed (partial when cut)
 * @param finishReason       the provider's last {@code finish_reason}, or null
 * @param stopped            true when relaying ended because a stop was requested
 * @param error              the terminal error event (OpenAI shape) when the upstream failed, else null
 */
public record RelayResult(Outcome outcome, MeteredUsage usage, Long timeToFirstTokenMs, String content,
                          String finishReason, boolean stopped, JsonNode error) {
}

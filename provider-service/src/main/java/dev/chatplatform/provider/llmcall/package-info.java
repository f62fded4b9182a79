/**
 * Publishes one {@code llm-call.recorded.v1} on {@code llm-calls.v1} per upstream call (every retry and
 * fallback included), through the kit's outbox.
 */
package dev.chatplatform.provider.llmcall;

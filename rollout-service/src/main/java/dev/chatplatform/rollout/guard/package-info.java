/**
 * Automatic rollback and phase advance: events tagged with a flag's variant ({@code llm-calls.v1},
 * {@code usage.v1}) are kept as observations; the guard compares every treatment variant with the control
 * group (the off variant) on error rate, p95 latency and cost per request, rolls a breaching flag back to its
 * safe state, and advances plans whose phase held.
 */
package dev.chatplatform.rollout.guard;

/**
 * Rollout events, published by rollout-service: the full state of every flag on the compacted
 * {@code flags.v1} (evaluated locally by flags-client), rollout decisions with their evidence on
 * {@code rollout-decisions.v1}, and the audit trail of every change on {@code rollout-audit.v1}.
 */
package dev.chatplatform.contracts.rollout;

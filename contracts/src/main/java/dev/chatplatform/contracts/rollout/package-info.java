/**
 * Rollout events, published by rollout-service: the full state of every flag on the compacted
 * {@code flags.v1} (evaluated locally by flags-client) and rollout decisions with their evidence on
 * {@code rollout-decisions.v1}. Every change of a flag or plan is an admin action on the platform's
 * {@code audit.v1} ({@link dev.chatplatform.contracts.audit.AuditRecorded}, target type {@code flag}).
 */
package dev.chatplatform.contracts.rollout;

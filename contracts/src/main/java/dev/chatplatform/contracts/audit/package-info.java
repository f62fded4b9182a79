/**
 * The audit log's events: each service keeps the admin actions taken on what it owns in its own {@code audit_log}
 * table and publishes each entry as {@link dev.chatplatform.contracts.audit.AuditRecorded} on {@code audit.v1}, where
 * analytics-service makes them searchable across the platform.
 */
package dev.chatplatform.contracts.audit;

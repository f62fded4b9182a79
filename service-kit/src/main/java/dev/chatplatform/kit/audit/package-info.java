/**
 * The audit log every service keeps of the admin actions on what it owns ({@link dev.chatplatform.kit.audit.AuditLog}):
 * one row in its own {@code audit_log} table and one {@code audit.recorded.v1} event, in the transaction of the change.
 */
package dev.chatplatform.kit.audit;

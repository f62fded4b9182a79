/**
 * The platform's audit log, searchable: every {@code audit.recorded.v1} from {@code audit.v1} (each service's admin
 * actions, kept in its own audit log too) stored once by entry id, and searched by {@code GET /api/v1/admin/audit}.
 */
package dev.chatplatform.analytics.audit;

/** HTTP API of the audit search: {@code GET /api/v1/admin/audit} for analysts and admins. */
package dev.chatplatform.analytics.audit.web;

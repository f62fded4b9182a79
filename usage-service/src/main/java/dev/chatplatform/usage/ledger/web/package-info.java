/** {@code GET /api/v1/usage/me}: the caller's own usage for a period. */
package dev.chatplatform.usage.ledger.web;

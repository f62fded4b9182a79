/**
 * Metering: every request that consumed tokens leaves exactly one {@code usage.recorded.v1} on
 * {@code usage.v1}, written through the outbox and keyed by account.
 */
package dev.chatplatform.chat.usage;

/** Consumes {@code usage.recorded.v1} from {@code usage.v1} into the ledger; skips (and logs) unreadable events. */
package dev.chatplatform.usage.ledger.events;

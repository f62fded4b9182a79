/**
 * Consumes {@code usage.recorded.v1} from {@code usage.v1} into the ledger (settling holds); records that cannot
 * be applied go to {@code usage.v1.dlt} with their reason.
 */
package dev.chatplatform.usage.ledger.events;

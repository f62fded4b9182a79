/**
 * Consumes {@code usage.recorded.v1} from {@code usage.v1} into the ledger (settling holds) as the kit's consumer
 * {@code usage-service.ledger}; records that can never be applied go to {@code usage.v1.dlt} with their reason.
 */
package dev.chatplatform.usage.ledger.events;

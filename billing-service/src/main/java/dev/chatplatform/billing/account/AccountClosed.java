package dev.chatplatform.billing.account;

/**
 * Raised (as a Spring event, inside the deleting transaction) when an account is deleted: its keys are
 * revoked and its subscription ended in that same transaction.
 */
public record AccountClosed(AccountId accountId, String stripeCustomerId) {
}

package dev.chatplatform.billing.account;

/** Raised (as a Spring event, inside the creating transaction) when an account is created. */
public record AccountOpened(AccountId accountId, String email) {
}

/**
 * Accounts: who pays and whose usage is metered. Created idempotently by e-mail (admin only for now);
 * every change publishes the account's full state on {@code accounts.v1}.
 */
package dev.chatplatform.billing.account;

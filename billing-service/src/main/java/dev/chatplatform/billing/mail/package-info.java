/** Receipts and payment notices: queued in the transaction that causes them, sent (or logged) with retries. */
package dev.chatplatform.billing.mail;

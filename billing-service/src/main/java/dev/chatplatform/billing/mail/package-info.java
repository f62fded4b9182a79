/** Receipts and payment notices: {@code mail} jobs enqueued in the transaction that causes them, sent (or logged) with retries. */
package dev.chatplatform.billing.mail;

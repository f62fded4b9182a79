/**
 * The gateway's local view of every account's status (active, suspended, deleted), built from the compacted
 * {@code accounts.v1} topic that billing-service publishes, so that credentials of an account that is not active
 * are refused. Each replica reads the whole topic from the beginning and follows it.
 */
package dev.chatplatform.gateway.account;

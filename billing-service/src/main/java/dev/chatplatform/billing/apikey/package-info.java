/**
 * API keys: secrets shown once, stored and published only as SHA-256, scoped (chat, account, analyst, admin) and
 * revocable. Every change publishes the key's full state on {@code api-keys.v1}, from which the gateway
 * authenticates.
 */
package dev.chatplatform.billing.apikey;

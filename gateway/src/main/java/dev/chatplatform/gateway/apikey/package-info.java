/**
 * The gateway's local view of every API key, built from the compacted {@code api-keys.v1} topic that
 * billing-service publishes. Each replica reads the whole topic from the beginning and follows it.
 */
package dev.chatplatform.gateway.apikey;

/**
 * The gateway's local view of every account's quota state (tier and per-minute rate limits), built from the
 * compacted {@code quota.v1} topic that usage-service publishes. Each replica reads the whole topic and follows it.
 */
package dev.chatplatform.gateway.quota;

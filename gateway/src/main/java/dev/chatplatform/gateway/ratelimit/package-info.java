/**
 * Per-minute rate limits at the gateway: requests per API key and per account, tokens per account, from the
 * account's tier in {@code quota.v1}, in token buckets kept in Redis (shared by every replica) or in memory.
 */
package dev.chatplatform.gateway.ratelimit;

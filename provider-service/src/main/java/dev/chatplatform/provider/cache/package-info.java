/**
 * Exact-match response cache: answers of deterministic requests (temperature 0) or of requests that ask for
 * it ({@code X-Platform-Cache: use}), keyed by the normalised request and scoped to the account, kept in
 * PostgreSQL for a configurable TTL and swept periodically.
 */
package dev.chatplatform.provider.cache;

/**
 * Everything that talks to Stripe: the stripe-java client (every call with an idempotency key), customer
 * creation retried from a job table, and the signed webhook: stored durably, acknowledged, then processed
 * once per Stripe event id.
 */
package dev.chatplatform.billing.stripe;

/**
 * Usage-based billing: every usage.v1 event is recorded once, grouped into batches whose id derives from
 * their event ids, and each batch reported to Stripe as one Billing Meter event with that id as its
 * identifier (so a retry never bills twice); a reconciliation report compares metered and reported usage.
 */
package dev.chatplatform.billing.metering;

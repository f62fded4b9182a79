package dev.chatplatform.billing.stripe;

import java.time.Instant;

/**
 * One received Stripe event in the operators' list.
 *
 * @param createdAt  when Stripe created the event (its {@code created})
 * @param receivedAt when billing first stored it
 * @param deliveries how many times Stripe delivered it (duplicates are stored once)
 * @param outcome    {@code applied}, {@code ignored}, {@code pending}, {@code retrying} or {@code failed}
 * @param reason     why it is parked ({@code failed}) or the last attempt's error ({@code retrying}); else null
 * @param attempts   failed attempts in a row of its job (0 once processed)
 * @param jobId      its {@code stripe-webhook} job while unprocessed, what {@code POST /api/v1/admin/jobs/{id}/retry}
 *                   takes; null once processed
 */
record WebhookEventResponse(String id, String type, Instant createdAt, Instant receivedAt, int deliveries,
                            String outcome, Instant processedAt, String reason, int attempts, Instant nextAttemptAt,
                            String jobId) {
}

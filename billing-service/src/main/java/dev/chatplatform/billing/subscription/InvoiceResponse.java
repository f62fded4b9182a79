package dev.chatplatform.billing.subscription;

import java.time.Instant;

/** An invoice as Stripe last reported it; amounts in minor units of {@code currency}. */
public record InvoiceResponse(String id, String status, String currency, long amountDue, long amountPaid,
                              int attemptCount, String hostedInvoiceUrl, Instant periodStart, Instant periodEnd,
                              Instant createdAt) {
}

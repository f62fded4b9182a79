package dev.chatplatform.contracts.billing;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * An invoice of an account was paid or its payment failed (topic {@code billing.v1}, key = account id).
 * One event per Stripe webhook event; amounts in the currency's minor units (cents), never floating point.
 *
 * @param accountId      the account billed
 * @param invoiceId      Stripe's invoice id
 * @param status         paid or payment_failed
 * @param currency       ISO currency code, lower case (usd)
 * @param amountDue      minor units due
 * @param amountPaid     minor units paid
 * @param attemptCount   payment attempts so far
 * @param hostedInvoiceUrl where the customer can see (and pay) the invoice, or null
 * @param occurredAt     when Stripe recorded it
 */
public record InvoiceChanged(
        String accountId,
        String invoiceId,
        String status,
        String currency,
        long amountDue,
        long amountPaid,
        long attemptCount,
        String hostedInvoiceUrl,
        Instant occurredAt) {

    public static final EventType<InvoiceChanged> TYPE =
            new EventType<>("invoice.changed.v1", Topics.BILLING, InvoiceChanged.class);

    public InvoiceChanged {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(invoiceId, "invoiceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}

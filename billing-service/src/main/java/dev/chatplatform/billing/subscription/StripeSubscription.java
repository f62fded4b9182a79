package dev.chatplatform.billing.subscription;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * The parts of a Stripe subscription object billing uses, read from its JSON (a webhook's
 * {@code data.object} or an API response), whatever API version wrote it: the period end is read from the
 * first item (API 2025-03-31 and later) or from the subscription itself (older versions).
 */
public record StripeSubscription(String id, String customer, String status, String priceId, String itemId,
                                 MonthlyPrice monthlyPrice, boolean cancelAtPeriodEnd, Instant currentPeriodEnd,
                                 String metadataAccountId) {

    public static StripeSubscription from(JsonNode sub) {
        JsonNode item = sub.path("items").path("data").path(0);
        JsonNode customer = sub.path("customer");
        long periodEnd = item.path("current_period_end").asLong(sub.path("current_period_end").asLong(0));
        return new StripeSubscription(sub.path("id").asString(),
                customer.isObject() ? customer.path("id").asString() : customer.asString(null),
                sub.path("status").asString("incomplete"),
                item.path("price").path("id").asString(null),
                item.path("id").asString(null),
                MonthlyPrice.of(sub),
                sub.path("cancel_at_period_end").asBoolean(false),
                periodEnd == 0 ? null : Instant.ofEpochSecond(periodEnd),
                sub.path("metadata").path("account_id").asString(null));
    }
}

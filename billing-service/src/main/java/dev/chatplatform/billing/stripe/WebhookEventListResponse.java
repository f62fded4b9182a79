package dev.chatplatform.billing.stripe;

import java.util.List;

/** One page of received Stripe events, newest first; pass the last id as {@code after} for the next while {@code hasMore}. */
record WebhookEventListResponse(String object, List<WebhookEventResponse> data, boolean hasMore) {
}

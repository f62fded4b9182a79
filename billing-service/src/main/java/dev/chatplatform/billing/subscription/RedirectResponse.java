package dev.chatplatform.billing.subscription;

/** A Stripe-hosted page (Checkout or Customer Portal) to send the customer to. */
public record RedirectResponse(String id, String url) {
}

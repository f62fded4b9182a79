package dev.chatplatform.billing.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeObject;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import dev.chatplatform.billing.BillingProperties;
import dev.chatplatform.kit.jobs.PermanentJobFailure;
import dev.chatplatform.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * The only way billing calls Stripe. Every call carries an idempotency key derived from our own state, so
 * a retry (ours or stripe-java's) never creates a second customer, session or charge. Objects come back
 * as the JSON Stripe sent, read by the same code that reads webhooks.
 */
public class StripeGateway {

    private final StripeClient client;
    private final BillingProperties.Stripe config;
    private final JsonMapper json;

    StripeGateway(StripeClient client, BillingProperties.Stripe config, JsonMapper json) {
        this.client = client;
        this.config = config;
        this.json = json;
    }

    /** False in local mode (no {@code STRIPE_SECRET_KEY}). */
    public boolean enabled() {
        return client != null;
    }

    public BillingProperties.Stripe config() {
        return config;
    }

    public String createCustomer(String accountId, String email, String idempotencyKey) {
        return call(() -> client().v1().customers().create(CustomerCreateParams.builder()
                .setEmail(email).putMetadata("account_id", accountId).build(), key(idempotencyKey))).path("id").asString();
    }

    public JsonNode createCheckoutSession(String customerId, String accountId, String priceId, String idempotencyKey) {
        var params = com.stripe.param.checkout.SessionCreateParams.builder()
                .setMode(com.stripe.param.checkout.SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customerId)
                .setClientReferenceId(accountId)
                .putMetadata("account_id", accountId)
                .addLineItem(com.stripe.param.checkout.SessionCreateParams.LineItem.builder()
                        .setPrice(priceId).setQuantity(1L).build())
                .setSubscriptionData(com.stripe.param.checkout.SessionCreateParams.SubscriptionData.builder()
                        .putMetadata("account_id", accountId).build())
                .setSuccessUrl(config.successUrl())
                .setCancelUrl(config.cancelUrl());
        if (config.priceMetered() != null && !config.priceMetered().isBlank()) {
            params.addLineItem(com.stripe.param.checkout.SessionCreateParams.LineItem.builder()
                    .setPrice(config.priceMetered()).build());
        }
        return call(() -> client().v1().checkout().sessions().create(params.build(), key(idempotencyKey)));
    }

    public JsonNode createPortalSession(String customerId, String idempotencyKey) {
        return call(() -> client().v1().billingPortal().sessions().create(
                com.stripe.param.billingportal.SessionCreateParams.builder()
                        .setCustomer(customerId).setReturnUrl(config.portalReturnUrl()).build(), key(idempotencyKey)));
    }

    /** A price object ({@code GET /v1/prices/{id}}): its amount, currency and billing interval. */
    public JsonNode retrievePrice(String priceId) {
        return call(() -> client().v1().prices().retrieve(priceId));
    }

    public JsonNode retrieveSubscription(String subscriptionId) {
        return call(() -> client().v1().subscriptions().retrieve(subscriptionId));
    }

    /** Moves the subscription's item to {@code priceId}; {@code prorateNow} invoices the difference at once. */
    public JsonNode changePrice(String subscriptionId, String itemId, String priceId, boolean prorateNow,
                                String idempotencyKey) {
        return call(() -> client().v1().subscriptions().update(subscriptionId, SubscriptionUpdateParams.builder()
                .addItem(SubscriptionUpdateParams.Item.builder().setId(itemId).setPrice(priceId).build())
                .setProrationBehavior(prorateNow ? SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE
                        : SubscriptionUpdateParams.ProrationBehavior.NONE)
                .setCancelAtPeriodEnd(false)
                .build(), key(idempotencyKey)));
    }

    public JsonNode cancelAtPeriodEnd(String subscriptionId, boolean cancel, String idempotencyKey) {
        return call(() -> client().v1().subscriptions().update(subscriptionId, SubscriptionUpdateParams.builder()
                .setCancelAtPeriodEnd(cancel).build(), key(idempotencyKey)));
    }

    public JsonNode cancelNow(String subscriptionId, String idempotencyKey) {
        return call(() -> client().v1().subscriptions().cancel(subscriptionId,
                SubscriptionCancelParams.builder().build(), key(idempotencyKey)));
    }

    /** One Billing Meter event; {@code identifier} makes Stripe drop a repeated report of the same usage. */
    public void reportMeterEvent(String customerId, long value, String identifier, Instant timestamp) {
        call(() -> client().v1().billing().meterEvents().create(MeterEventCreateParams.builder()
                .setEventName(config.meterEventName())
                .putPayload("stripe_customer_id", customerId)
                .putPayload("value", Long.toString(value))
                .setIdentifier(identifier)
                .setTimestamp(timestamp.getEpochSecond())
                .build(), key(identifier)));
    }

    private StripeClient client() {
        if (client == null) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "stripe_not_configured",
                    "Billing runs in local mode (no STRIPE_SECRET_KEY): an admin assigns tiers.", null);
        }
        return client;
    }

    private static RequestOptions key(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private interface StripeCall {
        StripeObject run() throws StripeException;
    }

    private JsonNode call(StripeCall call) {
        try {
            StripeObject result = call.run();
            return json.readTree(result.getLastResponse().body());
        } catch (StripeException e) {
            throw new StripeCallFailed(e);
        }
    }

    /**
     * Runs a Stripe call on behalf of a job: a refusal that no retry can change (see {@link StripeCallFailed#permanent})
     * parks the job at once; anything else is retried by the jobs' back-off policy.
     */
    public <T> T forJob(Supplier<T> call) {
        try {
            return call.get();
        } catch (StripeCallFailed e) {
            if (e.permanent()) {
                throw new PermanentJobFailure(e.getMessage(), e);
            }
            throw e;
        }
    }

    /** A Stripe call that failed; the message is Stripe's, never a key or a card number. */
    public static class StripeCallFailed extends ApiException {

        private final Integer stripeStatus;

        StripeCallFailed(StripeException e) {
            super(HttpStatus.BAD_GATEWAY, "api_error", "stripe_error",
                    "Stripe refused or failed the call: " + e.getMessage(), null);
            this.stripeStatus = e.getStatusCode();
        }

        /**
         * Stripe answered 4xx: the request itself is wrong (bad parameters, unknown object, bad key), so the same
         * call will fail again. Not 409 (a concurrent request with the same idempotency key, or a lock timeout) and
         * not 429 (rate limit): those pass. Network errors and 5xx have no or a 5xx status and are retried.
         */
        public boolean permanent() {
            return stripeStatus != null && stripeStatus >= 400 && stripeStatus < 500 && stripeStatus != 409
                    && stripeStatus != 429;
        }
    }
}

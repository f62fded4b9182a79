package dev.chatplatform.billing.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.AccountService;
import dev.chatplatform.billing.subscription.StripeSubscription;
import dev.chatplatform.billing.subscription.SubscriptionService;
import dev.chatplatform.kit.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stripe webhooks: verified on the raw bytes, stored by event id (a duplicate is acknowledged and not
 * stored again), acknowledged, then processed off the request thread, each event once and in its own
 * transaction; a failing event is retried with backoff. Order does not matter: the handlers compare
 * Stripe's timestamps with the stored state.
 */
@Service
public class StripeWebhooks implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StripeWebhooks.class);

    private final StripeEventRepository events;
    private final StripeGateway stripe;
    private final StripeCustomers customers;
    private final SubscriptionService subscriptions;
    private final AccountService accounts;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("stripe-webhooks").factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Counter received;
    private final Counter processed;

    StripeWebhooks(StripeEventRepository events, StripeGateway stripe, StripeCustomers customers,
                   SubscriptionService subscriptions, AccountService accounts, TransactionTemplate tx, JsonMapper json,
                   Clock clock, MeterRegistry meters) {
        this.events = events;
        this.stripe = stripe;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.accounts = accounts;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.received = Counter.builder("billing.stripe.webhooks.received").register(meters);
        this.processed = Counter.builder("billing.stripe.webhooks.processed").register(meters);
    }

    /** Verifies and stores one delivery; returns false for a duplicate. Throws 400 for a bad signature. */
    public boolean receive(byte[] raw, String signatureHeader) {
        String secret = stripe.config().webhookSecret();
        if (secret == null || secret.isBlank()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error", "webhooks_not_configured",
                    "STRIPE_WEBHOOK_SECRET is not set.", null);
        }
        String payload = new String(raw, StandardCharsets.UTF_8);
        try {
            Webhook.Signature.verifyHeader(payload, signatureHeader == null ? "" : signatureHeader, secret,
                    stripe.config().webhookTolerance().toSeconds(), clock);
        } catch (SignatureVerificationException e) {
            throw ApiException.invalid("invalid_signature", "Stripe-Signature verification failed: " + e.getMessage(), null);
        }
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (JacksonException e) {
            throw ApiException.invalid("invalid_json", "The webhook body is not JSON.", null);
        }
        String id = event.path("id").asString("");
        if (id.isEmpty() || !event.path("type").isString()) {
            throw ApiException.invalid("invalid_event", "The webhook body is not a Stripe event.", null);
        }
        received.increment();
        Boolean fresh = tx.execute(s -> events.store(id, event.path("type").asString(), event.path("created").asLong(0), payload));
        if (Boolean.TRUE.equals(fresh)) {
            wakeUp();
        } else {
            log.info("Stripe event {} delivered again; already stored", id);
        }
        return Boolean.TRUE.equals(fresh);
    }

    private void wakeUp() {
        if (queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                drain();
            });
        }
    }

    /** Processes every due event; also run on a schedule, so a crash or a restart loses nothing. */
    @Scheduled(fixedDelayString = "${billing.poll-interval-ms:1000}")
    public void drain() {
        while (processOne()) {
            // next
        }
    }

    private boolean processOne() {
        String[] failed = new String[1];
        int[] attempts = new int[1];
        Boolean found;
        try {
            found = tx.execute(status -> {
                Optional<StripeEventRepository.StoredEvent> next = events.lockNext();
                if (next.isEmpty()) {
                    return false;
                }
                StripeEventRepository.StoredEvent event = next.get();
                failed[0] = event.id();
                attempts[0] = event.attempts();
                handle(event);
                events.processed(event.id());
                processed.increment();
                return true;
            });
        } catch (RuntimeException e) {
            if (failed[0] == null) {
                log.warn("reading stored Stripe events failed: {}", e.toString());
                return false;
            }
            int tries = attempts[0] + 1;
            log.warn("processing Stripe event {} failed (attempt {}), will retry: {}", failed[0], tries, e.toString());
            tx.executeWithoutResult(s -> events.retryLater(failed[0], tries, Math.min(600, 1L << Math.min(tries, 10)),
                    e.toString()));
            return true;
        }
        return Boolean.TRUE.equals(found);
    }

    private void handle(StripeEventRepository.StoredEvent stored) {
        JsonNode event = json.readTree(stored.payload());
        JsonNode object = event.path("data").path("object");
        long created = stored.created();
        switch (stored.type()) {
            case "checkout.session.completed" -> checkoutCompleted(object, created);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
                 "customer.subscription.paused", "customer.subscription.resumed" -> {
                StripeSubscription state = StripeSubscription.from(object);
                account(state.customer(), state.metadataAccountId(), state.id()).ifPresentOrElse(
                        account -> subscriptions.applyStripe(account, state, created),
                        () -> log.warn("Stripe event {}: no account for subscription {}", stored.id(), state.id()));
            }
            case "invoice.paid", "invoice.payment_succeeded" -> account(object.path("customer").asString(null), null, null)
                    .ifPresentOrElse(a -> subscriptions.invoicePaid(a, object, stored.id(), created),
                            () -> log.warn("Stripe event {}: no account for customer", stored.id()));
            case "invoice.payment_failed" -> account(object.path("customer").asString(null), null, null)
                    .ifPresentOrElse(a -> subscriptions.invoicePaymentFailed(a, object, stored.id(), created),
                            () -> log.warn("Stripe event {}: no account for customer", stored.id()));
            case "customer.deleted" -> {
                String customer = object.path("id").asString(null);
                account(customer, object.path("metadata").path("account_id").asString(null), null)
                        .filter(a -> customer != null && customers.customerDeleted(a, customer))
                        .ifPresent(a -> subscriptions.customerDeleted(a, created));
            }
            default -> log.debug("Stripe event {} of type {} needs nothing from billing", stored.id(), stored.type());
        }
    }

    private void checkoutCompleted(JsonNode session, long created) {
        String customer = session.path("customer").asString(null);
        String accountText = session.path("client_reference_id").asString(session.path("metadata").path("account_id").asString(null));
        Optional<AccountId> account = AccountId.parse(accountText).or(() -> account(customer, null, null));
        if (account.isEmpty()) {
            log.warn("checkout session {} names no account of ours", session.path("id").asString());
            return;
        }
        if (customer != null && accounts.stripeCustomerId(account.get()).isEmpty() && !customers.isDeleted(customer)) {
            accounts.recordStripeCustomer(account.get(), customer);
        }
        String subscriptionId = session.path("subscription").asString(null);
        if (subscriptionId != null) {
            // the session carries only the id: fetch the subscription as it is now
            StripeSubscription state = StripeSubscription.from(stripe.retrieveSubscription(subscriptionId));
            subscriptions.applyStripe(account.get(), state, created);
        }
    }

    private Optional<AccountId> account(String customerId, String metadataAccountId, String subscriptionId) {
        Optional<AccountId> found = customerId == null ? Optional.empty() : accounts.findByStripeCustomerId(customerId);
        if (found.isEmpty()) {
            found = AccountId.parse(metadataAccountId);
        }
        if (found.isEmpty() && subscriptionId != null) {
            found = subscriptions.accountOfSubscription(subscriptionId);
        }
        return found;
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}

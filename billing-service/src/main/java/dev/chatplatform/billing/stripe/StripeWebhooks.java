package dev.chatplatform.billing.stripe;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.AccountService;
import dev.chatplatform.billing.subscription.StripeSubscription;
import dev.chatplatform.billing.subscription.SubscriptionService;
import dev.chatplatform.kit.jobs.JobHandler;
import dev.chatplatform.kit.jobs.JobKind;
import dev.chatplatform.kit.jobs.JobView;
import dev.chatplatform.kit.jobs.Jobs;
import dev.chatplatform.kit.jobs.PermanentJobFailure;
import dev.chatplatform.kit.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Stripe webhooks: verified on the raw bytes, stored by event id together with a {@code stripe-webhook} job (a
 * duplicate is acknowledged and stores nothing), acknowledged, then processed by that job off the request thread,
 * each event once (marked processed in the transaction that applies it) and retried by the kit's back-off policy.
 * No event is dropped for want of an account: one that names an account which does not exist here is parked at
 * once with that reason; one about a customer no account has (yet) is retried and parked when the policy gives up.
 * Order does not matter: the handlers compare Stripe's timestamps with the stored state.
 */
@Service
public class StripeWebhooks implements JobHandler<Void> {

    static final JobKind<Void> PROCESS_EVENT = JobKind.withoutData("stripe-webhook");
    private static final Logger log = LoggerFactory.getLogger(StripeWebhooks.class);

    private final StripeEventRepository events;
    private final Jobs jobs;
    private final StripeGateway stripe;
    private final StripeCustomers customers;
    private final SubscriptionService subscriptions;
    private final AccountService accounts;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final Counter received;
    private final Counter processed;

    StripeWebhooks(StripeEventRepository events, Jobs jobs, StripeGateway stripe, StripeCustomers customers,
                   SubscriptionService subscriptions, AccountService accounts, TransactionTemplate tx, JsonMapper json,
                   Clock clock, MeterRegistry meters) {
        this.events = events;
        this.jobs = jobs;
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
        Boolean fresh = tx.execute(s -> {
            boolean stored = events.store(id, event.path("type").asString(), event.path("created").asLong(0), payload);
            if (stored) {
                jobs.enqueue(PROCESS_EVENT, id, null);
            }
            return stored;
        });
        if (!Boolean.TRUE.equals(fresh)) {
            log.info("Stripe event {} delivered again; already stored", id);
        }
        return Boolean.TRUE.equals(fresh);
    }

    @Override
    public JobKind<Void> kind() {
        return PROCESS_EVENT;
    }

    /** Applies one stored event and marks it processed, in one transaction; an event processed before is skipped. */
    @Override
    public void run(String eventId, Void none) {
        tx.executeWithoutResult(status -> events.lockUnprocessed(eventId).ifPresent(event -> {
            events.processed(event.id(), handle(event));
            processed.increment();
        }));
    }

    /**
     * One page of received events, newest first (see {@link StripeEventRepository#list}); a failed or retrying one
     * carries its job's reason. {@code type}, {@code outcome} and {@code afterId} are checked by the caller.
     */
    WebhookEventListResponse list(String type, WebhookOutcome outcome, String afterId, int limit) {
        List<StripeEventRepository.ListedEvent> page = events.list(type, outcome, afterId, PROCESS_EVENT.name(), limit + 1);
        List<WebhookEventResponse> data = page.subList(0, Math.min(limit, page.size())).stream().map(e -> {
            String jobId = PROCESS_EVENT.name() + ":" + e.id();
            Optional<JobView> job = e.processedAt() == null ? jobs.find(jobId) : Optional.empty();
            return new WebhookEventResponse(e.id(), e.type(), e.created(), e.receivedAt(), e.deliveries(),
                    e.outcome().wireName(), e.processedAt(),
                    job.map(j -> j.reason() != null ? j.reason() : j.failed() ? j.lastError() : null).orElse(null),
                    job.map(JobView::attempts).orElse(0), job.map(JobView::nextAttemptAt).orElse(null),
                    e.processedAt() == null ? jobId : null);
        }).toList();
        return new WebhookEventListResponse("list", data, page.size() > limit);
    }

    boolean received(String eventId) {
        return events.exists(eventId);
    }

    /** Applies one event; says whether it was a type billing handles. */
    private WebhookOutcome handle(StripeEventRepository.StoredEvent stored) {
        JsonNode event = json.readTree(stored.payload());
        JsonNode object = event.path("data").path("object");
        long created = stored.created();
        switch (stored.type()) {
            case "checkout.session.completed" -> checkoutCompleted(object, created);
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted",
                 "customer.subscription.paused", "customer.subscription.resumed" -> {
                StripeSubscription state = StripeSubscription.from(object);
                AccountId account = account(state.customer(), state.metadataAccountId(), state.id())
                        .orElseThrow(() -> noAccount(state.customer()));
                subscriptions.applyStripe(account, state, created);
            }
            case "invoice.paid", "invoice.payment_succeeded" -> {
                String customer = object.path("customer").asString(null);
                AccountId account = account(customer, null, null).orElseThrow(() -> noAccount(customer));
                subscriptions.invoicePaid(account, object, stored.id(), created);
            }
            case "invoice.payment_failed" -> {
                String customer = object.path("customer").asString(null);
                AccountId account = account(customer, null, null).orElseThrow(() -> noAccount(customer));
                subscriptions.invoicePaymentFailed(account, object, stored.id(), created);
            }
            case "customer.deleted" -> {
                String customer = object.path("id").asString(null);
                account(customer, object.path("metadata").path("account_id").asString(null), null)
                        .filter(a -> customer != null && customers.customerDeleted(a, customer))
                        .ifPresent(a -> subscriptions.customerDeleted(a, created));
            }
            default -> {
                log.debug("Stripe event {} of type {} needs nothing from billing", stored.id(), stored.type());
                return WebhookOutcome.IGNORED;
            }
        }
        return WebhookOutcome.APPLIED;
    }

    private void checkoutCompleted(JsonNode session, long created) {
        String customer = session.path("customer").asString(null);
        String accountText = session.path("client_reference_id").asString(session.path("metadata").path("account_id").asString(null));
        AccountId account = accountText == null ? account(customer, null, null).orElseThrow(() -> noAccount(customer))
                : named(accountText);
        if (customer != null && accounts.stripeCustomerId(account).isEmpty() && !customers.isDeleted(customer)) {
            accounts.recordStripeCustomer(account, customer);
        }
        String subscriptionId = session.path("subscription").asString(null);
        if (subscriptionId != null) {
            // the session carries only the id: fetch the subscription as it is now
            StripeSubscription state = StripeSubscription.from(stripe.forJob(() -> stripe.retrieveSubscription(subscriptionId)));
            subscriptions.applyStripe(account, state, created);
        }
    }

    private Optional<AccountId> account(String customerId, String metadataAccountId, String subscriptionId) {
        Optional<AccountId> found = customerId == null ? Optional.empty() : accounts.findByStripeCustomerId(customerId);
        if (found.isEmpty() && metadataAccountId != null) {
            found = Optional.of(named(metadataAccountId));
        }
        if (found.isEmpty() && subscriptionId != null) {
            found = subscriptions.accountOfSubscription(subscriptionId);
        }
        return found;
    }

    /**
     * An event about a customer no account has (yet): retried by the back-off policy, as the customer may be recorded
     * by a Checkout completion processed after it, and parked with this reason once the policy gives up.
     */
    private static IllegalStateException noAccount(String customerId) {
        return new IllegalStateException(customerId == null ? "the event names no account and no customer"
                : "no account here has Stripe customer " + customerId);
    }

    /**
     * The account an event names in its metadata (or a Checkout {@code client_reference_id}). One that does not
     * exist here will not appear by retrying: the event is parked with the reason, for an operator to look at.
     */
    private AccountId named(String accountId) {
        return AccountId.parse(accountId).filter(accounts::exists).orElseThrow(() -> new PermanentJobFailure(
                "the account " + accountId + " named by the event (metadata.account_id or client_reference_id) does not exist here"));
    }
}

package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.BillingProperties;
import dev.chatplatform.billing.account.Account;
import dev.chatplatform.billing.account.AccountClosed;
import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.AccountService;
import dev.chatplatform.billing.account.Tier;
import dev.chatplatform.billing.mail.MailService;
import dev.chatplatform.billing.stripe.StripeGateway;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Keeps each account's subscription and the tier it is entitled to. Stripe state is applied only when it
 * is at least as new (Stripe's event {@code created}) as what is stored, and a canceled subscription is
 * never revived by an older event, so webhooks may arrive in any order.
 */
@Service
public class SubscriptionService {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionService.class);

    private final SubscriptionRepository subscriptions;
    private final InvoiceRepository invoices;
    private final AccountService accounts;
    private final StripeGateway stripe;
    private final MailService mail;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration grace;
    private final AuditLog audit;

    SubscriptionService(SubscriptionRepository subscriptions, InvoiceRepository invoices, AccountService accounts,
                        StripeGateway stripe, MailService mail, Outbox outbox, TransactionTemplate tx, Clock clock,
                        BillingProperties properties, AuditLog audit) {
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.accounts = accounts;
        this.stripe = stripe;
        this.mail = mail;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
        this.grace = properties.dunningGrace();
        this.audit = audit;
    }

    public Duration grace() {
        return grace;
    }

    @Transactional(readOnly = true)
    public Subscription current(String accountId) {
        Account account = accounts.require(accountId);
        return subscriptions.find(account.id()).orElseGet(() -> {
            Subscription none = Subscription.none(account.id(), account.createdAt());
            return new Subscription(none.accountId(), account.tier(), account.tier(), "none", "local", null, null,
                    null, null, null, false, null, null, 0, 0, account.createdAt());
        });
    }

    @Transactional(readOnly = true)
    public List<InvoiceResponse> invoices(String accountId) {
        return invoices.findByAccount(accounts.require(accountId).id());
    }

    /**
     * An admin sets the tier: in local mode always; in Stripe mode only for an account that does not pay through a
     * live Stripe subscription (one given a tier by arrangement, invoiced outside Stripe), since for one that does,
     * Stripe's subscription is the truth and the next webhook would undo the change. An account given a tier this way
     * can still start a subscription with Checkout, which then decides its tier. A change is audited
     * ({@code account.tier-changed}, the subscription before and after) with the admin's reason.
     */
    @Transactional
    public Subscription assignLocally(String accountId, Tier tier, AuditLog.Actor admin, String reason) {
        Account account = requireActive(accountId);
        Subscription current = load(account.id());
        if (stripe.enabled() && live(current)) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "managed_by_stripe",
                    "The account pays through a Stripe subscription, which sets its tier; change it with Checkout or the Customer Portal.", null);
        }
        Subscription next = new Subscription(account.id(), tier, tier, tier == Tier.FREE ? "none" : "active", "local",
                null, null, null, null, null, false, null, null, current.stripeStateAt(), current.version(),
                current.updatedAt());
        Subscription stored = save(current, next);
        if (stored != current) {
            audit.record(admin, "account.tier-changed", "account", account.id().toString(),
                    SubscriptionResponse.of(current, grace),
                    SubscriptionResponse.of(stored, grace), reason);
        }
        return stored;
    }

    // ---- self-service with Stripe ----

    @Transactional
    public RedirectResponse checkout(String accountId, Tier tier, String customerId) {
        Account account = requireActive(accountId);
        String price = priceOf(tier);
        Subscription current = load(account.id());
        if (live(current)) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "already_subscribed",
                    "The account has a subscription; change its tier with PUT /api/v1/billing/subscription.", null);
        }
        JsonNode session = stripe.createCheckoutSession(customerId, account.id().toString(), price,
                "checkout:" + account.id() + ":" + tier.wire() + ":v" + current.version());
        return new RedirectResponse(session.path("id").asString(), session.path("url").asString());
    }

    /**
     * Upgrade: the new price at once, the difference invoiced now (prorated). Downgrade: the cheaper price
     * from the next period (no proration), the current tier kept until the paid period ends.
     */
    @Transactional
    public Subscription changeTier(String accountId, Tier target) {
        Account account = requireActive(accountId);
        Subscription current = load(account.id());
        if (!live(current) || current.stripeSubscriptionId() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "no_subscription",
                    "The account has no Stripe subscription; start one with POST /api/v1/billing/checkout.", null);
        }
        if (target == Tier.FREE) {
            throw ApiException.invalid("invalid_value", "To go back to free, cancel the subscription.", "tier");
        }
        Tier from = current.pendingTier() != null ? current.pendingTier() : current.paidTier();
        if (target == from && current.pendingTier() == null) {
            return current;
        }
        boolean upgrade = target.compareTo(current.tier()) > 0;
        String key = "change:" + current.stripeSubscriptionId() + ":v" + current.version() + ":" + target.wire();
        JsonNode updated = stripe.changePrice(current.stripeSubscriptionId(), current.stripeItemId(), priceOf(target),
                upgrade, key);
        StripeSubscription state = StripeSubscription.from(updated);
        Subscription next = applied(current, state, now().getEpochSecond());
        if (!upgrade && target.compareTo(current.tier()) < 0) {
            Instant at = state.currentPeriodEnd() != null ? state.currentPeriodEnd() : current.currentPeriodEnd();
            next = with(next, current.tier(), target, at);
        } else {
            next = with(next, next.paidTier(), null, null);
        }
        return save(current, next);
    }

    @Transactional
    public Subscription cancel(String accountId, boolean atPeriodEnd) {
        Account account = requireActive(accountId);
        Subscription current = load(account.id());
        if (!live(current) || current.stripeSubscriptionId() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "no_subscription",
                    "The account has no Stripe subscription to cancel.", null);
        }
        String key = "cancel:" + current.stripeSubscriptionId() + ":v" + current.version() + ":" + atPeriodEnd;
        JsonNode updated = atPeriodEnd ? stripe.cancelAtPeriodEnd(current.stripeSubscriptionId(), true, key)
                : stripe.cancelNow(current.stripeSubscriptionId(), key);
        return save(current, applied(current, StripeSubscription.from(updated), now().getEpochSecond()));
    }

    // ---- Stripe webhooks ----

    /**
     * Applies a subscription's state as of {@code stateAt} (Stripe's event time, epoch seconds). Returns
     * false when the stored state is newer, or the subscription was canceled already (terminal).
     */
    @Transactional
    public boolean applyStripe(AccountId accountId, StripeSubscription state, long stateAt) {
        Subscription current = load(accountId);
        if (stateAt < current.stripeStateAt()) {
            log.info("ignoring subscription {} state {} of {}: stored state is newer ({})", state.id(), state.status(),
                    stateAt, current.stripeStateAt());
            return false;
        }
        if (state.id().equals(current.stripeSubscriptionId()) && "canceled".equals(current.status())
                && !"canceled".equals(state.status())) {
            log.info("ignoring subscription {} state {}: it was canceled already", state.id(), state.status());
            return false;
        }
        if (current.stripeSubscriptionId() != null && !state.id().equals(current.stripeSubscriptionId())
                && live(current) && !live(state.status())) {
            log.info("ignoring ended subscription {}: the account lives on {}", state.id(), current.stripeSubscriptionId());
            return false;
        }
        save(current, applied(current, state, stateAt));
        return true;
    }

    /** A subscription's invoice was paid: dunning ends, the paid tier is back, a receipt is mailed. */
    @Transactional
    public void invoicePaid(AccountId accountId, JsonNode invoice, String eventId, long stateAt) {
        InvoiceResponse stored = recordInvoice(accountId, invoice, "paid", eventId, stateAt);
        Subscription current = load(accountId);
        if (current.pastDueSince() != null && subscriptionOf(invoice).map(s -> s.equals(current.stripeSubscriptionId())).orElse(true)) {
            String status = "past_due".equals(current.status()) || "unpaid".equals(current.status()) ? "active" : current.status();
            save(current, new Subscription(accountId, current.tier(), current.paidTier(), status, current.source(),
                    current.stripeSubscriptionId(), current.stripeItemId(), current.price(), current.pendingTier(),
                    current.pendingAt(), current.cancelAtPeriodEnd(), current.currentPeriodEnd(), null,
                    current.stripeStateAt(), current.version(), current.updatedAt()));
        }
        Account account = accounts.require(accountId.toString());
        mail.enqueue(eventId + ":receipt", account.email(), "Receipt for your payment",
                "Thank you! We received " + money(stored.amountPaid(), stored.currency()) + " for invoice "
                        + stored.id() + "." + (stored.hostedInvoiceUrl() == null ? "" : "\nInvoice: " + stored.hostedInvoiceUrl()));
    }

    /** A payment failed: the subscription is past due and the grace period starts (once), a notice is mailed. */
    @Transactional
    public void invoicePaymentFailed(AccountId accountId, JsonNode invoice, String eventId, long stateAt) {
        Optional<InvoiceResponse> before = invoices.findForUpdate(invoice.path("id").asString());
        if (before.filter(i -> "paid".equals(i.status())).isPresent()) {
            log.info("ignoring payment failure of invoice {}: it is paid already", before.get().id());
            return;
        }
        InvoiceResponse stored = recordInvoice(accountId, invoice, "payment_failed", eventId, stateAt);
        Subscription current = load(accountId);
        Instant failedAt = Instant.ofEpochSecond(stateAt);
        Instant since = current.pastDueSince() == null ? failedAt : current.pastDueSince();
        String status = live(current) && !"unpaid".equals(current.status()) ? "past_due" : current.status();
        Subscription next = save(current, new Subscription(accountId, current.tier(), current.paidTier(), status,
                current.source(), current.stripeSubscriptionId(), current.stripeItemId(), current.price(),
                current.pendingTier(), current.pendingAt(), current.cancelAtPeriodEnd(), current.currentPeriodEnd(), since,
                current.stripeStateAt(), current.version(), current.updatedAt()));
        Account account = accounts.require(accountId.toString());
        mail.enqueue(eventId + ":failed", account.email(), "Your payment failed",
                "We could not collect " + money(stored.amountDue(), stored.currency()) + " for invoice " + stored.id()
                        + ". Please update your payment method" + (stored.hostedInvoiceUrl() == null ? "" : " or pay at "
                        + stored.hostedInvoiceUrl()) + ". Unless it is paid by " + next.graceEndsAt(grace)
                        + ", the account moves to the free tier.");
    }

    /** The Stripe customer is gone: so is its subscription. */
    @Transactional
    public void customerDeleted(AccountId accountId, long stateAt) {
        Subscription current = load(accountId);
        if (stateAt < current.stripeStateAt() || current.stripeSubscriptionId() == null) {
            return;
        }
        save(current, new Subscription(accountId, Tier.FREE, Tier.FREE, "canceled", "stripe",
                current.stripeSubscriptionId(), current.stripeItemId(), current.price(), null, null, false,
                current.currentPeriodEnd(), null, stateAt, current.version(), current.updatedAt()));
    }

    public Optional<AccountId> accountOfSubscription(String subscriptionId) {
        return subscriptions.accountOfSubscription(subscriptionId);
    }

    /** Drops past-due accounts whose grace ran out, and applies downgrades whose period ended. */
    @Scheduled(fixedDelayString = "${billing.poll-interval-ms:10000}")
    public void settleDue() {
        for (AccountId id : subscriptions.dueForSettling(now(), grace)) {
            try {
                tx.executeWithoutResult(s -> {
                    Subscription current = load(id);
                    save(current, current);
                });
            } catch (RuntimeException e) {
                log.warn("settling the subscription of {} failed, will retry: {}", id, e.toString());
            }
        }
    }

    @EventListener
    void onAccountClosed(AccountClosed closed) {
        Subscription current = load(closed.accountId());
        if (current.version() == 0 && current.tier() == Tier.FREE) {
            return;
        }
        if (current.stripeSubscriptionId() != null && live(current) && stripe.enabled()) {
            try {
                stripe.cancelNow(current.stripeSubscriptionId(), "cancel-on-delete:" + current.stripeSubscriptionId());
            } catch (RuntimeException e) {
                log.warn("could not cancel Stripe subscription {} of deleted account {}: {}",
                        current.stripeSubscriptionId(), closed.accountId(), e.toString());
            }
        }
        save(current, new Subscription(closed.accountId(), Tier.FREE, Tier.FREE, "canceled", current.source(),
                current.stripeSubscriptionId(), current.stripeItemId(), current.price(), null, null, false,
                current.currentPeriodEnd(), null, current.stripeStateAt(), current.version(), current.updatedAt()));
    }

    // ---- internals ----

    private Subscription applied(Subscription current, StripeSubscription state, long stateAt) {
        BillingProperties.Stripe config = stripe.config();
        Tier paid = config.tierOf(state.priceId()).orElseGet(() -> {
            if (state.priceId() != null) {
                log.warn("subscription {} has price {}, which is not configured for any tier; treating it as free",
                        state.id(), state.priceId());
            }
            return Tier.FREE;
        });
        Instant pastDue = switch (state.status()) {
            case "past_due", "unpaid" -> current.pastDueSince() != null ? current.pastDueSince() : Instant.ofEpochSecond(stateAt);
            default -> null;
        };
        boolean keepPending = current.pendingTier() != null && current.pendingTier() == paid && live(state.status());
        return new Subscription(current.accountId(), current.tier(), paid, state.status(), "stripe", state.id(),
                state.itemId(), state.monthlyPrice(), keepPending ? current.pendingTier() : null,
                keepPending ? current.pendingAt() : null, state.cancelAtPeriodEnd(), state.currentPeriodEnd(), pastDue,
                Math.max(stateAt, current.stripeStateAt()), current.version(), current.updatedAt());
    }

    private static Subscription with(Subscription s, Tier tier, Tier pendingTier, Instant pendingAt) {
        return new Subscription(s.accountId(), tier, s.paidTier(), s.status(), s.source(), s.stripeSubscriptionId(),
                s.stripeItemId(), s.price(), pendingTier, pendingAt, s.cancelAtPeriodEnd(), s.currentPeriodEnd(),
                s.pastDueSince(), s.stripeStateAt(), s.version(), s.updatedAt());
    }

    /** Settles {@code next} for now, stores and publishes it when it differs, and mirrors the tier to the account. */
    private Subscription save(Subscription current, Subscription next) {
        Instant now = now();
        Subscription settled = next.settle(now, grace);
        if (current.version() > 0 && settled.sameStateAs(current)) {
            if (settled.stripeStateAt() != current.stripeStateAt()) {
                Subscription touched = settled.next(now);
                subscriptions.save(touched);
                publish(touched);
                return touched;
            }
            return current;
        }
        Subscription stored = settled.next(now);
        subscriptions.save(stored);
        publish(stored);
        accounts.changeTier(stored.accountId(), stored.tier());
        return stored;
    }

    private void publish(Subscription s) {
        SubscriptionChanged event = s.toEvent(grace);
        outbox.publish(SubscriptionChanged.TYPE, s.accountId() + ":subscription:v" + s.version(),
                s.accountId().toString(), s.accountId().toString(), event);
    }

    private Subscription load(AccountId id) {
        return subscriptions.findForUpdate(id).orElseGet(() -> {
            Account account = accounts.require(id.toString());
            Subscription none = Subscription.none(id, now());
            return new Subscription(id, account.tier(), account.tier(), "none", "local", null, null, null, null, null,
                    false, null, null, 0, 0, none.updatedAt());
        });
    }

    private InvoiceResponse recordInvoice(AccountId accountId, JsonNode invoice, String status, String eventId, long stateAt) {
        JsonNode line = invoice.path("lines").path("data").path(0).path("period");
        long created = invoice.path("created").asLong(stateAt);
        InvoiceResponse stored = new InvoiceResponse(invoice.path("id").asString(), status,
                invoice.path("currency").asString(null), invoice.path("amount_due").asLong(0),
                invoice.path("amount_paid").asLong(0), invoice.path("attempt_count").asInt(0),
                invoice.path("hosted_invoice_url").asString(null),
                epoch(invoice.path("period_start").asLong(line.path("start").asLong(0))),
                epoch(invoice.path("period_end").asLong(line.path("end").asLong(0))), Instant.ofEpochSecond(created));
        invoices.upsert(stored, accountId, stateAt);
        outbox.publish(InvoiceChanged.TYPE, eventId, accountId.toString(), accountId.toString(),
                new InvoiceChanged(accountId.toString(), stored.id(), status, stored.currency(), stored.amountDue(),
                        stored.amountPaid(), stored.attemptCount(), stored.hostedInvoiceUrl(), Instant.ofEpochSecond(stateAt)));
        return stored;
    }

    private static Optional<String> subscriptionOf(JsonNode invoice) {
        String direct = invoice.path("subscription").asString(null);
        if (direct != null) {
            return Optional.of(direct);
        }
        return Optional.ofNullable(invoice.path("parent").path("subscription_details").path("subscription").asString(null));
    }

    private static Instant epoch(long seconds) {
        return seconds == 0 ? null : Instant.ofEpochSecond(seconds);
    }

    private static String money(long minor, String currency) {
        String sign = minor < 0 ? "-" : "";
        long abs = Math.abs(minor);
        return sign + abs / 100 + "." + String.format("%02d", abs % 100) + " " + (currency == null ? "" : currency.toUpperCase());
    }

    private String priceOf(Tier tier) {
        if (!stripe.enabled()) {
            stripe.config();
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "stripe_not_configured",
                    "Billing runs in local mode (no STRIPE_SECRET_KEY): an admin assigns tiers.", null);
        }
        return stripe.config().priceOf(tier).orElseThrow(() -> ApiException.invalid("tier_not_for_sale",
                "No Stripe price is configured for tier '" + tier.wire() + "'.", "tier"));
    }

    private Account requireActive(String accountId) {
        Account account = accounts.require(accountId);
        if (account.isDeleted()) {
            throw ApiException.notFound("account_not_found", "No account with id '" + accountId + "'.");
        }
        return account;
    }

    private static boolean live(Subscription s) {
        return s.stripeSubscriptionId() != null && live(s.status());
    }

    private static boolean live(String status) {
        return switch (status) {
            case "active", "trialing", "past_due", "unpaid", "incomplete", "paused" -> true;
            default -> false;
        };
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}

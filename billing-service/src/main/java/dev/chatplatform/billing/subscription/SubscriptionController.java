package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.account.AccountService;
import dev.chatplatform.billing.stripe.StripeCustomers;
import dev.chatplatform.billing.stripe.StripeGateway;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.RequiresScope;
import jakarta.validation.Valid;
import org.slf4j.MDC;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

@RequiresScope(Scope.ACCOUNT)
@RestController
class SubscriptionController {

    private final SubscriptionService subscriptions;
    private final AccountService accounts;
    private final StripeCustomers customers;
    private final StripeGateway stripe;

    SubscriptionController(SubscriptionService subscriptions, AccountService accounts, StripeCustomers customers,
                           StripeGateway stripe) {
        this.subscriptions = subscriptions;
        this.accounts = accounts;
        this.customers = customers;
        this.stripe = stripe;
    }

    @GetMapping("/api/v1/billing/subscription")
    SubscriptionResponse subscription(CallerIdentity caller) {
        return SubscriptionResponse.of(subscriptions.current(caller.accountId()), subscriptions.grace());
    }

    /** Starts a subscription: the Stripe Checkout page to send the customer to. */
    @PostMapping("/api/v1/billing/checkout")
    RedirectResponse checkout(CallerIdentity caller, @Valid @RequestBody TierRequest request) {
        String customer = customers.ensureCustomer(accounts.require(caller.accountId()));
        return subscriptions.checkout(caller.accountId(), request.toTier(), customer);
    }

    /** The Stripe Customer Portal (payment methods, invoices, cancellation). */
    @PostMapping("/api/v1/billing/portal")
    RedirectResponse portal(CallerIdentity caller) {
        String customer = customers.ensureCustomer(accounts.require(caller.accountId()));
        var session = stripe.createPortalSession(customer, "portal:" + MDC.get("requestId"));
        return new RedirectResponse(session.path("id").asString(), session.path("url").asString());
    }

    /** Upgrade (at once, prorated) or downgrade (at the end of the paid period). */
    @PutMapping("/api/v1/billing/subscription")
    SubscriptionResponse change(CallerIdentity caller, @Valid @RequestBody TierRequest request) {
        return SubscriptionResponse.of(subscriptions.changeTier(caller.accountId(), request.toTier()), subscriptions.grace());
    }

    @PostMapping("/api/v1/billing/subscription/cancel")
    SubscriptionResponse cancel(CallerIdentity caller, @RequestBody(required = false) CancelRequest request) {
        boolean atPeriodEnd = request == null || request.endOfPeriod();
        return SubscriptionResponse.of(subscriptions.cancel(caller.accountId(), atPeriodEnd), subscriptions.grace());
    }

    @GetMapping("/api/v1/billing/invoices")
    Map<String, Object> invoices(CallerIdentity caller) {
        List<InvoiceResponse> list = subscriptions.invoices(caller.accountId());
        return Map.of("object", "list", "data", list);
    }

    /** Local mode only. */
    @PutMapping("/api/v1/admin/accounts/{accountId}/tier")
    @RequiresScope(Scope.ADMIN)
    SubscriptionResponse assign(CallerIdentity caller, @PathVariable String accountId,
                                @Valid @RequestBody AssignTierRequest request) {
        return SubscriptionResponse.of(subscriptions.assignLocally(accountId, request.toTier(),
                AuditLog.Actor.of(caller), request.reason()), subscriptions.grace());
    }

    @GetMapping("/api/v1/admin/accounts/{accountId}/invoices")
    @RequiresScope(Scope.ANALYST)
    Map<String, Object> invoicesOf(@PathVariable String accountId) {
        return Map.of("object", "list", "data", subscriptions.invoices(accountId));
    }

    @GetMapping("/api/v1/admin/accounts/{accountId}/subscription")
    @RequiresScope(Scope.ANALYST)
    SubscriptionResponse ofAccount(@PathVariable String accountId) {
        return SubscriptionResponse.of(subscriptions.current(accountId), subscriptions.grace());
    }
}

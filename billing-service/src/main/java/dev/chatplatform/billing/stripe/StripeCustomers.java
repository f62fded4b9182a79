package dev.chatplatform.billing.stripe;

import dev.chatplatform.billing.account.Account;
import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.AccountOpened;
import dev.chatplatform.billing.account.AccountService;
import dev.chatplatform.kit.jobs.JobHandler;
import dev.chatplatform.kit.jobs.JobKind;
import dev.chatplatform.kit.jobs.Jobs;
import dev.chatplatform.kit.jobs.PermanentJobFailure;
import dev.chatplatform.kit.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * One Stripe customer per account. Account creation enqueues a {@code stripe-customer} job (reference: the
 * idempotency key) in its own transaction; the job runs after the commit and is retried by the kit's back-off
 * policy, and parked when Stripe refuses the call for good (a 4xx other than 409/429). The idempotency key is fixed per
 * account and customer generation, so the job, its retries and a Checkout that needs the customer sooner all
 * get the same customer.
 * <p>
 * When Stripe deletes the account's current customer ({@code customer.deleted}), the account forgets it and a
 * new job creates the next one under the next generation's key: the old key would make Stripe replay the
 * deleted customer for 24 hours. A late or repeated deletion of a customer that is no longer the current one
 * changes nothing.
 */
@Service
public class StripeCustomers implements JobHandler<StripeCustomers.CreateCustomer> {

    /** What a {@code stripe-customer} job carries; its reference is the idempotency key. */
    public record CreateCustomer(String accountId) {
    }

    static final JobKind<CreateCustomer> CREATE_CUSTOMER = new JobKind<>("stripe-customer", CreateCustomer.class);
    private static final Logger log = LoggerFactory.getLogger(StripeCustomers.class);

    private final Jobs jobs;
    private final DeletedCustomerRepository deleted;
    private final StripeGateway stripe;
    private final AccountService accounts;

    StripeCustomers(Jobs jobs, DeletedCustomerRepository deleted, StripeGateway stripe, AccountService accounts) {
        this.jobs = jobs;
        this.deleted = deleted;
        this.stripe = stripe;
        this.accounts = accounts;
    }

    @EventListener
    void onAccountOpened(AccountOpened opened) {
        if (stripe.enabled()) {
            enqueue(opened.accountId());
        }
    }

    /** The account's customer id, creating the customer now when the job has not run yet. */
    public String ensureCustomer(Account account) {
        return accounts.stripeCustomerId(account.id()).orElseGet(() -> {
            String id = stripe.createCustomer(account.id().toString(), account.email(), customerKey(account.id()));
            accounts.recordStripeCustomer(account.id(), id);
            return id;
        });
    }

    /**
     * Stripe deleted {@code customerId}. When it is the account's current customer, the account forgets it and
     * the next customer is created asynchronously (retried) under a new key; returns whether it was the current one.
     * Runs in the caller's transaction.
     */
    boolean customerDeleted(AccountId account, String customerId) {
        if (!accounts.forgetStripeCustomer(account, customerId)) {
            log.info("Stripe customer {} deleted; it is not the current customer of {}, nothing to do", customerId, account);
            return false;
        }
        deleted.record(customerId, account);
        if (accounts.require(account.toString()).isDeleted()) {
            return true;
        }
        String key = enqueue(account);
        log.info("Stripe customer {} of {} was deleted; creating the next one ({})", customerId, account, key);
        return true;
    }

    /** True for a customer Stripe deleted while it was an account's customer: never to be recorded again. */
    boolean isDeleted(String customerId) {
        return deleted.isDeleted(customerId);
    }

    @Override
    public JobKind<CreateCustomer> kind() {
        return CREATE_CUSTOMER;
    }

    /** Creates the customer unless the account has one, is deleted, or the job's generation was superseded. */
    @Override
    public void run(String idempotencyKey, CreateCustomer job) {
        if (!stripe.enabled()) {
            throw new PermanentJobFailure("Stripe is not configured (no STRIPE_SECRET_KEY)");
        }
        AccountId accountId = AccountId.parse(job.accountId())
                .orElseThrow(() -> new PermanentJobFailure("not an account id: " + job.accountId()));
        Account account;
        try {
            account = accounts.require(accountId.toString());
        } catch (ApiException e) {
            throw new PermanentJobFailure("account " + accountId + " does not exist here", e);
        }
        // a job of an earlier generation is superseded: its key would return the deleted customer
        boolean current = idempotencyKey.equals(customerKey(accountId));
        if (current && !account.isDeleted() && accounts.stripeCustomerId(accountId).isEmpty()) {
            String id = stripe.forJob(() -> stripe.createCustomer(accountId.toString(), account.email(), idempotencyKey));
            accounts.recordStripeCustomer(accountId, id);
        }
    }

    private String enqueue(AccountId account) {
        String key = customerKey(account);
        jobs.enqueue(CREATE_CUSTOMER, key, new CreateCustomer(account.toString()));
        return key;
    }

    /**
     * {@code customer:<account id>} for an account's first customer, {@code customer:<account id>:g<n>} after
     * Stripe deleted {@code n} of its customers.
     */
    private String customerKey(AccountId account) {
        int generation = deleted.countFor(account);
        return "customer:" + account + (generation == 0 ? "" : ":g" + generation);
    }
}

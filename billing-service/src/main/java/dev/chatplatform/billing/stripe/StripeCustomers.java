package dev.chatplatform.billing.stripe;

import dev.chatplatform.billing.account.Account;
import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.AccountOpened;
import dev.chatplatform.billing.account.AccountService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One Stripe customer per account. Account creation enqueues a job in its own transaction; the job runs
 * after the commit and is retried with backoff until Stripe answers. The idempotency key is fixed per
 * account and customer generation, so the job, its retries and a Checkout that needs the customer sooner all
 * get the same customer.
 * <p>
 * When Stripe deletes the account's current customer ({@code customer.deleted}), the account forgets it and a
 * new job creates the next one under the next generation's key: the old key would make Stripe replay the
 * deleted customer for 24 hours. A late or repeated deletion of a customer that is no longer the current one
 * changes nothing.
 */
@Service
public class StripeCustomers {

    static final String CREATE_CUSTOMER = "create_customer";
    private static final Logger log = LoggerFactory.getLogger(StripeCustomers.class);

    private final StripeJobRepository jobs;
    private final DeletedCustomerRepository deleted;
    private final StripeGateway stripe;
    private final AccountService accounts;
    private final TransactionTemplate tx;

    StripeCustomers(StripeJobRepository jobs, DeletedCustomerRepository deleted, StripeGateway stripe,
                    AccountService accounts, TransactionTemplate tx) {
        this.jobs = jobs;
        this.deleted = deleted;
        this.stripe = stripe;
        this.accounts = accounts;
        this.tx = tx;
    }

    @EventListener
    void onAccountOpened(AccountOpened opened) {
        if (stripe.enabled()) {
            jobs.enqueue(CREATE_CUSTOMER, opened.accountId(), customerKey(opened.accountId()));
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
        String key = customerKey(account);
        jobs.enqueue(CREATE_CUSTOMER, account, key);
        log.info("Stripe customer {} of {} was deleted; creating the next one ({})", customerId, account, key);
        return true;
    }

    /** True for a customer Stripe deleted while it was an account's customer: never to be recorded again. */
    boolean isDeleted(String customerId) {
        return deleted.isDeleted(customerId);
    }

    @Scheduled(fixedDelayString = "${billing.poll-interval-ms:1000}")
    public void runDue() {
        if (!stripe.enabled()) {
            return;
        }
        tx.executeWithoutResult(status -> {
            for (StripeJobRepository.Job job : jobs.lockDue(20)) {
                try {
                    Account account = accounts.require(job.accountId().toString());
                    // a job of an earlier generation is superseded: its key would return the deleted customer
                    boolean current = job.idempotencyKey().equals(customerKey(account.id()));
                    if (current && !account.isDeleted() && accounts.stripeCustomerId(account.id()).isEmpty()) {
                        String id = stripe.createCustomer(account.id().toString(), account.email(), job.idempotencyKey());
                        accounts.recordStripeCustomer(account.id(), id);
                    }
                    jobs.done(job.id());
                } catch (RuntimeException e) {
                    int attempts = job.attempts() + 1;
                    log.warn("creating the Stripe customer of {} failed (attempt {}), retrying: {}", job.accountId(),
                            attempts, e.getMessage());
                    jobs.retryLater(job.id(), attempts, Math.min(300, 1L << Math.min(attempts, 9)), e.getMessage());
                }
            }
        });
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

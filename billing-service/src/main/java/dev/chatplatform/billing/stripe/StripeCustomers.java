package dev.chatplatform.billing.stripe;

import dev.chatplatform.billing.account.Account;
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
 * account, so the job, its retries and a Checkout that needs the customer sooner all get the same customer.
 */
@Service
public class StripeCustomers {

    static final String CREATE_CUSTOMER = "create_customer";
    private static final Logger log = LoggerFactory.getLogger(StripeCustomers.class);

    private final StripeJobRepository jobs;
    private final StripeGateway stripe;
    private final AccountService accounts;
    private final TransactionTemplate tx;

    StripeCustomers(StripeJobRepository jobs, StripeGateway stripe, AccountService accounts, TransactionTemplate tx) {
        this.jobs = jobs;
        this.stripe = stripe;
        this.accounts = accounts;
        this.tx = tx;
    }

    @EventListener
    void onAccountOpened(AccountOpened opened) {
        if (stripe.enabled()) {
            jobs.enqueue(CREATE_CUSTOMER, opened.accountId(), customerKey(opened.accountId().toString()));
        }
    }

    /** The account's customer id, creating the customer now when the job has not run yet. */
    public String ensureCustomer(Account account) {
        return accounts.stripeCustomerId(account.id()).orElseGet(() -> {
            String id = stripe.createCustomer(account.id().toString(), account.email(), customerKey(account.id().toString()));
            accounts.recordStripeCustomer(account.id(), id);
            return id;
        });
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
                    if (accounts.stripeCustomerId(account.id()).isEmpty()) {
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

    private static String customerKey(String accountId) {
        return "customer:" + accountId;
    }
}

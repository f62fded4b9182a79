package dev.chatplatform.chat.usage;

import dev.chatplatform.chat.budget.Hold;
import dev.chatplatform.chat.budget.LeaseBook;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes a request's usage through the outbox. The event id is derived from the request id, so the
 * same request id recorded twice (a client or gateway retry) is enqueued, and billed, once.
 */
@Component
public class UsageRecorder {

    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);

    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final LeaseBook leases;

    UsageRecorder(Outbox outbox, TransactionTemplate tx, LeaseBook leases) {
        this.outbox = outbox;
        this.tx = tx;
        this.leases = leases;
    }

    /**
     * Enqueues the event in a transaction of its own; returns the event id. A request drawn from a budget lease
     * gives back what it did not use first (also when the event then cannot be written: usage-service bills the
     * call from provider-service's record), and its event names the lease.
     */
    public String record(UsageRecorded usage) {
        UsageRecorded event = leases.requestEnded(usage);
        return tx.execute(status -> outbox.publish(UsageRecorded.TYPE, event.requestId(), event.accountId(),
                event.accountId(), event));
    }

    /**
     * Records the usage of an answer not given out yet. When the event cannot be written, an answer under a hold
     * is still given out: usage-service bills it from provider-service's record of the call when the hold expires.
     * One without a hold (failed open) is not: nothing would ever bill it, so the failure is thrown.
     */
    public void recordBeforeAnswer(UsageRecorded usage, Hold hold) {
        try {
            record(usage);
        } catch (RuntimeException e) {
            if (!hold.placed()) {
                throw e;
            }
            log.error("could not record the usage of request {}: {}", usage.requestId(), whoBills(hold), e);
        }
    }

    /** Records the usage of an answer already given out (a stream): a failure is logged with who bills it instead. */
    public void recordAfterAnswer(UsageRecorded usage, Hold hold) {
        try {
            record(usage);
        } catch (RuntimeException e) {
            log.error("could not record the usage of streamed request {}: {}", usage.requestId(), whoBills(hold), e);
        }
    }

    private static String whoBills(Hold hold) {
        if (!hold.placed()) {
            return "no hold covers it (failed open), so it is not billed";
        }
        return hold.draw() != null
                ? "usage-service bills it from provider-service's record of the call after lease " + hold.holdId() + " ends"
                : "usage-service bills it from provider-service's record of the call when hold " + hold.holdId() + " expires";
    }
}

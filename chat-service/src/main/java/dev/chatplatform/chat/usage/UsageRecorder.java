package dev.chatplatform.chat.usage;

import dev.chatplatform.chat.budget.LeaseBook;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.Outbox;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes a request's usage through the outbox. The event id is derived from the request id, so the
 * same request id recorded twice (a client or gateway retry) is enqueued, and billed, once.
 */
@Component
public class UsageRecorder {

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
     * gives back what it did not use, also when the event could not be written (usage-service then bills the call
     * from provider-service's record).
     */
    public String record(UsageRecorded usage) {
        try {
            return tx.execute(status -> outbox.publish(UsageRecorded.TYPE, usage.requestId(), usage.accountId(),
                    usage.accountId(), usage));
        } finally {
            leases.requestEnded(usage);
        }
    }
}

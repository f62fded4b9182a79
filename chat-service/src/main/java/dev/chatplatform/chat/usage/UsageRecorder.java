package dev.chatplatform.chat.usage;

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

    UsageRecorder(Outbox outbox, TransactionTemplate tx) {
        this.outbox = outbox;
        this.tx = tx;
    }

    /** Enqueues the event in a transaction of its own; returns the event id. */
    public String record(UsageRecorded usage) {
        return tx.execute(status -> outbox.publish(UsageRecorded.TYPE, usage.requestId(), usage.accountId(),
                usage.accountId(), usage));
    }
}

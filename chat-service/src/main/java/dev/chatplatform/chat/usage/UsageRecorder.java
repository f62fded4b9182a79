package dev.chatplatform.chat.usage;

import dev.chatplatform.chat.budget.Hold;
import dev.chatplatform.chat.budget.LeaseBook;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.jobs.BackoffPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Publishes a request's usage through the outbox. The event id is derived from the request id, so the
 * same request id recorded twice (a client or gateway retry) is enqueued, and billed, once.
 */
@Component
public class UsageRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UsageRecorder.class);
    /** How long a stream's usage write is retried while the database has no connection for it. */
    static final Duration RETRY_FOR = Duration.ofMinutes(1);
    /** 250 ms, doubling to 5 s between tries; {@link #RETRY_FOR} bounds them, not the attempts. */
    private static final BackoffPolicy BACKOFF = new BackoffPolicy(Duration.ofMillis(250), 2, Duration.ofSeconds(5),
            Integer.MAX_VALUE);

    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final LeaseBook leases;
    private final Counter retried;
    private final ExecutorService retries = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("usage-record-retry-", 0).factory());

    UsageRecorder(Outbox outbox, TransactionTemplate tx, LeaseBook leases, MeterRegistry meters) {
        this.outbox = outbox;
        this.tx = tx;
        this.leases = leases;
        this.retried = Counter.builder("chat.usage.record.retries")
                .description("Usage events of streams whose write waited for a database connection and was retried")
                .register(meters);
    }

    /**
     * Enqueues the event in a transaction of its own; returns the event id. A request drawn from a budget lease
     * gives back what it did not use first (also when the event then cannot be written: usage-service bills the
     * call from provider-service's record), and its event names the lease.
     */
    public String record(UsageRecorded usage) {
        return write(leases.requestEnded(usage));
    }

    private String write(UsageRecorded event) {
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

    /**
     * Records the usage of an answer already given out (a stream). When no database connection could be had for
     * it (a burst of streams ending at once takes every connection of the pool: 2,000 long streams in the
     * benchmark), the write is retried in the background for up to {@link #RETRY_FOR}, so the stream's response
     * ends now and its usage is still billed at once (a stream that failed open has no other way to be billed); the
     * same event is written, so it still names the lease its request drew from, and its id makes a repeat harmless.
     * Any other failure, or one that outlasts the retries, is logged with who bills the request instead.
     */
    public void recordAfterAnswer(UsageRecorded usage, Hold hold) {
        UsageRecorded event = leases.requestEnded(usage);
        try {
            write(event);
        } catch (CannotCreateTransactionException e) {
            retried.increment();
            log.warn("no database connection for the usage of streamed request {}; retrying in the background: {}",
                    usage.requestId(), e.toString());
            retries.execute(() -> retry(event, hold));
        } catch (RuntimeException e) {
            log.error("could not record the usage of streamed request {}: {}", usage.requestId(), whoBills(hold), e);
        }
    }

    private void retry(UsageRecorded event, Hold hold) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        for (int failures = 1; ; failures++) {
            try {
                Thread.sleep(BACKOFF.delayAfter(failures));
                write(event);
                log.info("usage of streamed request {} recorded after a retry", event.requestId());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.error("could not record the usage of streamed request {} before stopping: {}", event.requestId(),
                        whoBills(hold));
                return;
            } catch (CannotCreateTransactionException e) {
                if (System.nanoTime() - deadline >= 0) {
                    log.error("could not record the usage of streamed request {}: {}", event.requestId(), whoBills(hold), e);
                    return;
                }
            } catch (RuntimeException e) {
                log.error("could not record the usage of streamed request {}: {}", event.requestId(), whoBills(hold), e);
                return;
            }
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

    /** Stops the retries still waiting (their requests are billed as {@link #whoBills} says). */
    @Override
    public void close() {
        retries.shutdownNow();
    }
}

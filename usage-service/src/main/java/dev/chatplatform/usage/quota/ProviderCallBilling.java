package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.usage.UsageProperties;
import dev.chatplatform.usage.quota.ProviderCallRepository.ProviderCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Bills the requests chat-service could not bill (killed mid-stream, or unable to write the usage event): such a
 * request's hold is neither settled nor released, so it expires; usage-service then publishes the request's
 * {@code usage.recorded.v1} itself, from provider-service's record of the call ({@code llm-calls.v1}), with the
 * event id chat-service would have used ({@code EventIds.of(UsageRecorded.TYPE, requestId)}) and the same record
 * key (the account). Every consumer of {@code usage.v1} keeps one event per id, and both events of a request are in
 * the same partition, so each consumer keeps the same one: the request is billed once, whichever is first. Why
 * it cannot bill twice, case by case: usage-service's README, "Usage survives a chat-service crash".
 * <p>
 * Only the call that answered (or broke after it started) is billed, as chat-service bills it: outcome
 * {@code SUCCESS}, {@code ERROR} or {@code CLIENT_GONE} with something consumed; retried and fallen-back calls
 * consumed nothing billable.
 */
@Service
public class ProviderCallBilling {

    private static final Logger log = LoggerFactory.getLogger(ProviderCallBilling.class);

    private final ProviderCallRepository calls;
    private final HoldRepository holds;
    private final LeaseRepository leases;
    private final Outbox outbox;
    private final Duration callTtl;
    private final JdbcClient jdbc;

    ProviderCallBilling(ProviderCallRepository calls, HoldRepository holds, LeaseRepository leases, Outbox outbox,
                        JdbcClient jdbc, UsageProperties properties) {
        this.calls = calls;
        this.holds = holds;
        this.leases = leases;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.callTtl = properties.holds().ttl();
    }

    /**
     * Keeps the billed call of a request whose hold is open, for when the hold expires; bills it at once when the
     * hold expired already (the record came late). The hold's row is locked first, so this and the sweep's expiry
     * of the same hold happen one after the other: whichever is second sees the other's work.
     */
    @Transactional
    public void record(LlmCallRecorded call) {
        if (!billed(call)) {
            return;
        }
        Optional<Hold> hold = holds.lockByRequest(call.accountId(), call.requestId());
        String status = hold.map(Hold::status).orElse("none");
        switch (status) {
            case "held" -> calls.insert(call);
            case "expired" -> {
                calls.insert(call);
                bill(hold.get());
            }
            case "none" -> { // no hold: made under a lease (or served without any reservation while one was open),
                // billed by its age when no usage event came for it
                if (leases.covers(call.accountId(), call.occurredAt(), callTtl)) {
                    calls.insert(call);
                }
            }
            default -> { // settled by its usage event, or released (nothing consumed, said chat-service)
            }
        }
    }

    /** In the sweep's transaction: bills the request of a hold that just expired, when its call was recorded. */
    void billExpired(Hold hold) {
        bill(hold);
    }

    /**
     * Bills the requests made under a lease that no usage event came for within {@code usage.holds.ttl} of their
     * call's end (their chat-service crashed, or could not write the event), from provider-service's record, with
     * the event id chat-service would have used; returns how many calls were looked at. Without a hold there is no
     * API key id (null) nor the model asked for (the call's model is used) nor whether the caller asked for a
     * stream (a call with a time to first token counts as streamed), nor the lease the request drew from: the event
     * names none, so it is plain usage, and what the lease reserved for the request stays reserved until the sweep
     * releases the lease's remainder ({@link BudgetLeases#sweep}): too much for a while, never too little.
     */
    @Transactional
    public int billDueLeaseCalls(int limit) {
        List<ProviderCall> due = calls.claimUnbilledLeaseCalls(callTtl, limit);
        for (ProviderCall c : due) {
            String eventId = EventIds.of(UsageRecorded.TYPE, c.requestId());
            if (metered(eventId)) {
                continue;
            }
            boolean streamed = c.timeToFirstTokenMs() != null;
            UsageRecorded usage = new UsageRecorded(c.requestId(), c.accountId(), null, c.model(), c.provider(),
                    c.inputTokens(), c.cachedInputTokens(), c.outputTokens(), c.costMicroUsd(), c.estimated(),
                    outcome(c.outcome()), streamed, c.latencyMs(), c.timeToFirstTokenMs(), c.occurredAt());
            outbox.publish(UsageRecorded.TYPE, c.requestId(), c.accountId(), c.accountId(), usage);
            log.warn("no usage event for request {} made under a lease within {} of its call's end: billed it from "
                    + "provider-service's record ({} tokens, {} micro-USD)", c.requestId(), callTtl,
                    usage.totalTokens(), usage.costMicroUsd());
        }
        return due.size();
    }

    private boolean metered(String eventId) {
        return jdbc.sql("select exists (select 1 from usage_records where event_id = :id)").param("id", eventId)
                .query(Boolean.class).single();
    }

    /** Forgets recorded calls older than {@code age}. */
    public int purge(Duration age) {
        return calls.purge(age);
    }

    private void bill(Hold hold) {
        Optional<ProviderCall> call = calls.find(hold.accountId(), hold.requestId());
        String eventId = EventIds.of(UsageRecorded.TYPE, hold.requestId());
        if (call.isEmpty() || !holds.markBilledFromProvider(hold.id(), eventId)) {
            return;
        }
        ProviderCall c = call.get();
        UsageRecorded usage = new UsageRecorded(hold.requestId(), hold.accountId(), hold.apiKeyId(), hold.model(),
                c.provider(), c.inputTokens(), c.cachedInputTokens(), c.outputTokens(), c.costMicroUsd(), c.estimated(),
                outcome(c.outcome()), hold.streamed(), c.latencyMs(), hold.streamed() ? c.timeToFirstTokenMs() : null,
                c.occurredAt());
        outbox.publish(UsageRecorded.TYPE, hold.requestId(), hold.accountId(), hold.accountId(), usage);
        log.warn("hold {} expired without a usage event: billed request {} from provider-service's record of the call "
                + "({} tokens, {} micro-USD)", hold.id(), hold.requestId(), usage.totalTokens(), usage.costMicroUsd());
    }

    private static boolean billed(LlmCallRecorded c) {
        boolean answered = switch (c.outcome()) {
            case SUCCESS, ERROR, CLIENT_GONE -> true;
            case RETRY, FALLBACK -> false;
        };
        return answered && (c.inputTokens() > 0 || c.outputTokens() > 0 || c.costMicroUsd() > 0);
    }

    private static UsageRecorded.Outcome outcome(LlmCallRecorded.Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> UsageRecorded.Outcome.COMPLETED;
            case CLIENT_GONE -> UsageRecorded.Outcome.CLIENT_DISCONNECTED;
            default -> UsageRecorded.Outcome.UPSTREAM_ERROR;
        };
    }
}

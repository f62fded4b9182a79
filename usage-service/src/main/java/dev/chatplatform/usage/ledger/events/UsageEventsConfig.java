package dev.chatplatform.usage.ledger.events;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.EventSubscription;
import dev.chatplatform.kit.events.UnreadableEventException;
import dev.chatplatform.usage.ledger.UsageLedgerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code usage-service.ledger}: meters every {@code usage.recorded.v1} of {@code usage.v1}, a whole poll at a time
 * in ONE transaction (one commit, and one quota.v1 state per account instead of one per event). The kit
 * dead-letters a record that is not a valid event, breaks {@link #check}, or that the ledger refuses by a
 * constraint (only that record: the others of the batch are applied), and retries anything else (the database is
 * down) until it succeeds; events already recorded are recognised by their ids.
 */
@Configuration(proxyBeanMethods = false)
class UsageEventsConfig {

    private static final Logger log = LoggerFactory.getLogger(UsageEventsConfig.class);

    @Bean
    EventSubscription ledgerSubscription(UsageLedgerService ledger) {
        return EventSubscription.batch("ledger", UsageRecorded.TYPE, events -> {
            int recorded = ledger.record(events);
            log.debug("metered {} new usage events of {}", recorded, events.size());
        }).checkedBy(event -> check((UsageRecorded) event.data()));
    }

    /** What the JSON Schema of usage.recorded.v1 promises but the record's constructor does not check. */
    static void check(UsageRecorded u) {
        require(!u.requestId().isBlank(), "requestId is blank");
        require(!u.accountId().isBlank(), "accountId is blank");
        require(!u.model().isBlank(), "model is blank");
        require(u.provider() != null && !u.provider().isBlank(), "provider is missing");
        require(u.inputTokens() >= 0, "inputTokens is negative");
        require(u.cachedInputTokens() >= 0, "cachedInputTokens is negative");
        require(u.cachedInputTokens() <= u.inputTokens(), "cachedInputTokens exceeds inputTokens");
        require(u.outputTokens() >= 0, "outputTokens is negative");
        require(u.costMicroUsd() >= 0, "costMicroUsd is negative");
        require(u.latencyMs() >= 0, "latencyMs is negative");
        require(u.timeToFirstTokenMs() == null || u.timeToFirstTokenMs() >= 0, "timeToFirstTokenMs is negative");
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new UnreadableEventException("invalid " + UsageRecorded.TYPE.name() + ": " + reason);
        }
    }
}

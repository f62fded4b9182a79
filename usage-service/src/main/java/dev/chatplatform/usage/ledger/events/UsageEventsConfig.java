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
 * dead-letters a record that is not a valid event, breaks a rule ({@link UsageRecorded#violation}), or that the ledger refuses by a
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
        }).checkedBy(event -> UnreadableEventException.refuse(UsageRecorded.TYPE.name(),
                ((UsageRecorded) event.data()).violation()));
    }
}

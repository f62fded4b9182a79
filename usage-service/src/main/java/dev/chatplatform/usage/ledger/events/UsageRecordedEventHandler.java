package dev.chatplatform.usage.ledger.events;

import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.kit.events.UnreadableEventException;
import dev.chatplatform.usage.ledger.UsageLedgerService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Meters every {@code usage.recorded.v1} on {@code usage.v1} (consumer group = the application name), a whole poll
 * at a time: the batch's events are applied in ONE transaction (one commit, and one quota.v1 state per account
 * instead of one per event). A record that is not a valid event, or that the database refuses by a constraint,
 * is handed to {@link UsageEventsConfig}'s error handler as {@link BatchListenerFailedException} at its index,
 * after the records before it are applied: it copies that record to the dead-letter topic and delivers the rest
 * again. Any other failure (the database is down) fails the batch, which is retried until it succeeds; the
 * events already recorded are recognised by their ids.
 */
@Component
class UsageRecordedEventHandler {

    private static final Logger log = LoggerFactory.getLogger(UsageRecordedEventHandler.class);

    private final EventReader reader;
    private final UsageLedgerService ledger;

    UsageRecordedEventHandler(EventReader reader, UsageLedgerService ledger) {
        this.reader = reader;
        this.ledger = ledger;
    }

    @KafkaListener(topics = Topics.USAGE, batch = "true")
    void on(List<ConsumerRecord<String, String>> records) {
        List<InboundEvent<UsageRecorded>> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                InboundEvent<UsageRecorded> event = reader.read(records.get(i), UsageRecorded.TYPE);
                checkValues(event.data());
                events.add(event);
            } catch (UnreadableEventException e) {
                apply(events, records);
                throw new BatchListenerFailedException(e.getMessage(), e, i);
            }
        }
        apply(events, records);
    }

    /** Applies the events (the first {@code events.size()} records) in one transaction, else one by one. */
    private void apply(List<InboundEvent<UsageRecorded>> events, List<ConsumerRecord<String, String>> records) {
        if (events.isEmpty()) {
            return;
        }
        try {
            int recorded = ledger.record(events);
            log.debug("metered {} new usage events of {}", recorded, events.size());
            if (recorded < events.size()) {
                log.info("{} of {} usage events were already recorded; duplicates ignored", events.size() - recorded,
                        events.size());
            }
        } catch (DataIntegrityViolationException batchRefused) {
            // one event the database refuses: apply them one by one so that only that one is dead-lettered
            for (int i = 0; i < events.size(); i++) {
                try {
                    ledger.record(List.of(events.get(i)));
                } catch (DataIntegrityViolationException refused) {
                    throw new BatchListenerFailedException(refused.getMessage(), refused, records.get(i));
                }
            }
        }
    }

    /** What the JSON Schema of usage.recorded.v1 promises but the record's constructor does not check. */
    private static void checkValues(UsageRecorded u) {
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

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
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Meters every {@code usage.recorded.v1} on {@code usage.v1} (consumer group = the application name). A
 * record that is not a valid event throws {@link UnreadableEventException}, which {@link UsageEventsConfig}
 * logs and skips; any other failure (the database is down) is retried until it succeeds.
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

    @KafkaListener(topics = Topics.USAGE)
    void on(ConsumerRecord<String, String> record) {
        InboundEvent<UsageRecorded> event = reader.read(record, UsageRecorded.TYPE);
        checkValues(event.data());
        if (ledger.record(event)) {
            log.debug("recorded usage event {} of request {}", event.id(), event.data().requestId());
        } else {
            log.info("usage event {} of request {} was already recorded; duplicate ignored",
                    event.id(), event.data().requestId());
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

package dev.chatplatform.billing.metering;

import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;

@Service
public class MeteringService {

    private static final Logger log = LoggerFactory.getLogger(MeteringService.class);

    private final MeteringRepository metering;
    private final EventReader reader;

    MeteringService(MeteringRepository metering, EventReader reader) {
        this.metering = metering;
        this.reader = reader;
    }

    /** Records each usage event once (by event id); {@link MeterBatchReporter} reports it to Stripe afterwards. */
    @KafkaListener(topics = Topics.USAGE)
    @Transactional
    void on(ConsumerRecord<String, String> record) {
        InboundEvent<UsageRecorded> event;
        try {
            event = reader.read(record, UsageRecorded.TYPE);
        } catch (UnreadableEventException e) {
            log.warn("skipping unreadable usage record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        UsageRecorded usage = event.data();
        metering.record(event.id(), usage.accountId(), Math.max(0, usage.totalTokens()), usage.occurredAt());
    }

    @Transactional(readOnly = true)
    public ReconciliationResponse reconcile(Instant from, Instant to) {
        List<ReconciliationResponse.Line> lines = metering.reconcile(from, to);
        long metered = lines.stream().mapToLong(ReconciliationResponse.Line::meteredTokens).sum();
        long reported = lines.stream().mapToLong(ReconciliationResponse.Line::reportedTokens).sum();
        return new ReconciliationResponse(from, to, metered, reported, metered - reported, lines);
    }
}

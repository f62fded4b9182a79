package dev.chatplatform.analytics.ingest;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.billing.Topics;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.ProcessedEvents;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Applies Kafka records to the rollups, each event once. Every event is counted by topic and type
 * (also types this build does not know yet, read from the headers only); the types with rollups of their own
 * ({@link #ROLLED_UP}) are read into their records, validated and applied too.
 */
@Service
class EventIngestService {

    private static final Logger log = LoggerFactory.getLogger(EventIngestService.class);

    /** The consumer name in {@code processed_events}. */
    static final String CONSUMER = "analytics";

    /** The types with rollups of their own, by name; every other type is only counted. */
    static final Map<String, EventType<?>> ROLLED_UP = Stream.of(UsageRecorded.TYPE, AccountChanged.TYPE,
                    LlmCallRecorded.TYPE, RolloutDecided.TYPE, SubscriptionChanged.TYPE, InvoiceChanged.TYPE,
                    ConversationChanged.TYPE, MessageRecorded.TYPE)
            .collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

    private final EventReader reader;
    private final ProcessedEvents processed;
    private final RollupRepository rollups;
    private final TransactionTemplate tx;

    EventIngestService(EventReader reader, ProcessedEvents processed, RollupRepository rollups, TransactionTemplate tx) {
        this.reader = reader;
        this.processed = processed;
        this.rollups = rollups;
        this.tx = tx;
    }

    /**
     * Applies a batch (one poll) in one transaction: the commit is the dominant cost of an event. Records that
     * can never be applied are logged and skipped first; if the database refuses one event by a constraint, the
     * batch is rolled back and applied event by event, so only that event is skipped.
     *
     * @return how many events were applied (duplicates, tombstones and skipped records excluded)
     */
    int apply(List<ConsumerRecord<String, String>> records) {
        List<Readable> readable = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                readable.add(read(record));
            } catch (UnreadableEventException e) {
                skip(record, e);
            }
        }
        try {
            Integer applied = tx.execute(s -> {
                int n = 0;
                for (Readable r : readable) {
                    n += applyInTransaction(r) ? 1 : 0;
                }
                return n;
            });
            return applied == null ? 0 : applied;
        } catch (DataIntegrityViolationException batchRefused) {
            int n = 0;
            for (Readable r : readable) {
                try {
                    n += Boolean.TRUE.equals(tx.execute(s -> applyInTransaction(r))) ? 1 : 0;
                } catch (DataIntegrityViolationException e) {
                    skip(r.record(), e);
                }
            }
            return n;
        }
    }

    private Readable read(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return new Readable(record, null, null, null, null);
        }
        String id = header(record, CloudEventHeaders.ID);
        String type = header(record, CloudEventHeaders.TYPE);
        Instant time = time(record);
        EventType<?> rolledUp = ROLLED_UP.get(type);
        Record data = rolledUp == null ? null : EventValidation.validated(reader.read(record, rolledUp).data());
        return new Readable(record, id, type, time, data);
    }

    private boolean applyInTransaction(Readable r) {
        ConsumerRecord<String, String> record = r.record();
        if (r.id() == null) {
            if (Topics.ACCOUNTS.equals(record.topic()) && record.key() != null) {
                rollups.markAccountDeleted(record.key());
            }
            return false;
        }
        if (!processed.firstTime(CONSUMER, r.id())) {
            return false;
        }
        rollups.countEvent(dayOf(r.time()), record.topic(), r.type());
        switch (r.data()) {
            case null -> {
            }
            case UsageRecorded u -> rollups.addUsage(dayOf(u.occurredAt()), u);
            case AccountChanged a -> applyAccount(a);
            case LlmCallRecorded c -> rollups.addLlmCall(dayOf(c.occurredAt()), c);
            case RolloutDecided d -> rollups.addDecision(r.id(), dayOf(d.decidedAt()), d);
            case SubscriptionChanged s -> rollups.addSubscriptionVersion(s);
            case InvoiceChanged i -> {
                if ("paid".equals(i.status())) {
                    rollups.addPaidInvoice(dayOf(i.occurredAt()), i);
                }
            }
            case ConversationChanged c -> rollups.addConversationChange(dayOf(c.occurredAt()), c);
            case MessageRecorded m -> rollups.addMessage(dayOf(m.occurredAt()), m);
            default -> throw new IllegalStateException("no rollup for " + r.type());
        }
        return true;
    }

    private static void skip(ConsumerRecord<?, ?> record, Exception reason) {
        String message = String.valueOf(reason.getMessage());
        int nl = message.indexOf('\n');
        log.warn("skipping unreadable record {}-{}@{} (ce_id={}): {}", record.topic(), record.partition(),
                record.offset(), optionalHeader(record, CloudEventHeaders.ID), nl < 0 ? message : message.substring(0, nl));
    }

    private static String optionalHeader(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * A record read and validated outside the transaction; {@code id} is null for a tombstone, {@code data} for a
     * type without a rollup of its own (only counted).
     */
    private record Readable(ConsumerRecord<String, String> record, String id, String type, Instant time, Record data) {
    }

    private void applyAccount(AccountChanged a) {
        var previous = rollups.lockAccount(a.accountId());
        if (previous.isPresent() && previous.get().version() >= a.version()) {
            return;
        }
        rollups.saveAccount(a);
        if (previous.isPresent() && "free".equals(previous.get().tier()) && !"free".equals(a.tier())) {
            rollups.addConversion(a, previous.get().tier(), dayOf(a.changedAt()));
        }
    }

    static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant time(ConsumerRecord<String, String> record) {
        try {
            return Instant.parse(header(record, CloudEventHeaders.TIME));
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("bad " + CloudEventHeaders.TIME + " header", e);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        String value = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        if (value == null || value.isBlank()) {
            throw new UnreadableEventException("missing header " + name);
        }
        return value;
    }
}

package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.EventType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listener the kit runs for one {@link EventSubscription}, as a batch listener whatever the subscription: reads
 * each record of a poll ({@link EventReader}), checks it, applies the poll's events in ONE transaction and counts
 * them — a batch subscription's handler gets them as a list, a per-event subscription's handlers one by one in
 * record order. Failures go to the container's error handler ({@link EventListeners#errorHandler}), which tells
 * permanent ones ({@link Failures#isPermanent}: dead-lettered) from transient ones (retried with back-off, never
 * committed past).
 * <p>
 * Every failure names the record it is about as a {@link BatchListenerFailedException}, so the error handler commits
 * what was applied before it and dead-letters (permanent) or retries from (transient) that record — never the whole
 * poll: Spring Kafka's whole-batch fallback would hand every record of the poll to the recoverer once a retry turned
 * up a permanent failure.
 */
final class SubscriptionListener implements BatchMessageListener<String, String> {

    /** A record to apply: an event, or a tombstone with its handler. */
    record Item(ConsumerRecord<String, String> record, InboundEvent<?> event,
                EventSubscription.TombstoneHandler tombstone) {
    }

    private final EventSubscription subscription;
    private final EventReader reader;
    private final TransactionTemplate tx;
    private final ConsumedEvents telemetry;

    SubscriptionListener(EventSubscription subscription, EventReader reader, TransactionTemplate tx,
                         ConsumedEvents telemetry) {
        this.subscription = subscription;
        this.reader = reader;
        this.tx = tx;
        this.telemetry = telemetry;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, String>> records) {
        List<Item> items = new ArrayList<>(records.size());
        for (ConsumerRecord<String, String> record : records) {
            Item item;
            try {
                item = read(record);
            } catch (RuntimeException unreadable) {
                applyOrNameTheCulprit(items);
                throw new BatchListenerFailedException(Failures.reason(unreadable), unreadable, record);
            }
            if (item != null) {
                items.add(item);
            }
        }
        applyOrNameTheCulprit(items);
    }

    /**
     * What {@code record} asks of this subscription: null when nothing (a type it does not handle, a tombstone it
     * does not follow).
     *
     * @throws UnreadableEventException when it can never be applied
     */
    Item read(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            EventSubscription.TombstoneHandler handler = subscription.tombstoneHandler(record.topic());
            return handler == null || record.key() == null ? null : new Item(record, null, handler);
        }
        String typeName = EventReader.optionalHeader(record, CloudEventHeaders.TYPE);
        EventType<?> type = typeName == null ? null : EventCatalog.byName(typeName).orElse(null);
        if (type == null) {
            if (typeName == null || typeName.isBlank()) {
                throw new UnreadableEventException("missing header " + CloudEventHeaders.TYPE);
            }
            if (!subscription.takesUnknownTypes()) {
                return null; // a newer producer's type: passed over, as a catalog type it does not handle would be
            }
            InboundEvent<?> event = reader.readUnknown(record);
            subscription.check(event);
            return new Item(record, event, null);
        }
        if (!subscription.handles(type)) {
            return null;
        }
        InboundEvent<?> event = reader.read(record, type);
        subscription.check(event);
        return new Item(record, event, null);
    }

    /**
     * Applies {@code items} in one transaction. When the database refuses one of them for good, applies them one by
     * one to find it: those before it are applied, it is named (dead-lettered), those after it come again.
     */
    private void applyOrNameTheCulprit(List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        try {
            applyInTransaction(items);
        } catch (RuntimeException failure) {
            if (!Failures.isPermanent(failure) || items.size() == 1) {
                throw new BatchListenerFailedException(Failures.reason(failure), failure, items.getFirst().record());
            }
            for (Item item : items) {
                try {
                    applyInTransaction(List.of(item));
                } catch (RuntimeException refused) {
                    throw new BatchListenerFailedException(Failures.reason(refused), refused, item.record());
                }
            }
        }
    }

    /** Applies {@code items} in one transaction (without one when the service has no database). */
    private void applyInTransaction(List<Item> items) {
        if (tx == null) {
            apply(items);
        } else {
            tx.executeWithoutResult(status -> apply(items));
        }
        counted(items);
    }

    /**
     * A batch subscription's handler gets the events as one list, then the tombstones; a per-event subscription's
     * handlers get each event and tombstone in record order.
     */
    private void apply(List<Item> items) {
        if (!subscription.isBatch()) {
            for (Item item : items) {
                if (item.event() != null) {
                    subscription.handle(item.event());
                } else {
                    item.tombstone().handle(item.record().topic(), item.record().key());
                }
            }
            return;
        }
        List<InboundEvent<?>> events = new ArrayList<>(items.size());
        for (Item item : items) {
            if (item.event() != null) {
                events.add(item.event());
            }
        }
        if (!events.isEmpty()) {
            subscription.handle(events);
        }
        for (Item item : items) {
            if (item.tombstone() != null) {
                item.tombstone().handle(item.record().topic(), item.record().key());
            }
        }
    }

    private void counted(List<Item> items) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Item item : items) {
            counts.computeIfAbsent(item.record().topic() + ' ' + ConsumedEvents.typeOf(item.record()),
                    k -> new int[1])[0]++;
        }
        counts.forEach((topicAndType, n) -> {
            int space = topicAndType.indexOf(' ');
            telemetry.consumed(topicAndType.substring(0, space), topicAndType.substring(space + 1), n[0]);
        });
    }
}

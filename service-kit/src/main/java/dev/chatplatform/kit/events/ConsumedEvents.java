package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one consumer reports, the same way for every consumer: group consumers ({@link EventSubscription}) and
 * the followers that read a whole compacted topic with {@code assign()} (the gateway's views, flags-client).
 * Counters, tagged {@code consumer}, {@code topic} and {@code type} (a catalog type name, {@code tombstone}, or
 * {@code unknown} — never a header's raw text, so a forged header cannot blow up the tag space):
 * <ul>
 *   <li>{@value #CONSUMED}: records applied (duplicates included: the consumer recognises them itself);</li>
 *   <li>{@value #RETRIES}: failed attempts that will be retried (the database or the broker is in trouble);</li>
 *   <li>{@value #DEAD_LETTERED}: records a group consumer can never apply, copied to {@code <topic>.dlt};</li>
 *   <li>{@value #SKIPPED}: records a follower can never apply (it cannot dead-letter: every replica reads every
 *       record; the topic's group consumers dead-letter the same record once).</li>
 * </ul>
 * One log line (WARN) per retry, dead letter and skip, from this class's logger, naming consumer, record
 * ({@code topic-partition@offset}), {@code ce_id}, {@code ce_type} and the reason; applied records are logged at
 * DEBUG only.
 */
public final class ConsumedEvents {

    public static final String CONSUMED = "events.consumed";
    public static final String RETRIES = "events.retries";
    public static final String DEAD_LETTERED = "events.dead_lettered";
    public static final String SKIPPED = "events.skipped";

    private static final Logger log = LoggerFactory.getLogger(ConsumedEvents.class);

    private final String consumer;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** @param consumer the consumer's name: its listener id and consumer group ({@code <service>.<purpose>}) */
    public ConsumedEvents(String consumer, MeterRegistry meters) {
        this.consumer = consumer;
        this.meters = meters;
    }

    public String consumer() {
        return consumer;
    }

    /** {@code count} records of {@code type} on {@code topic} were applied. */
    public void consumed(String topic, String type, int count) {
        counter(CONSUMED, topic, type).increment(count);
        if (log.isDebugEnabled()) {
            log.debug("{} applied {} {} from {}", consumer, count, type, topic);
        }
    }

    /** Attempt {@code attempt} at {@code record} failed for a reason that may pass; it will be retried. */
    public void retrying(ConsumerRecord<?, ?> record, int attempt, String reason) {
        counter(RETRIES, record.topic(), typeOf(record)).increment();
        log.warn("{} retrying {} (attempt {}, ce_id={}, ce_type={}): {}", consumer, position(record), attempt,
                EventReader.optionalHeader(record, CloudEventHeaders.ID), typeOf(record), reason);
    }

    /** {@code record} can never be applied and was copied to {@code deadLetterTopic}. */
    public void deadLettered(ConsumerRecord<?, ?> record, String deadLetterTopic, String reason) {
        counter(DEAD_LETTERED, record.topic(), typeOf(record)).increment();
        log.warn("{} dead-lettered {} to {} (ce_id={}, ce_type={}, ce_source={}): {}", consumer, position(record),
                deadLetterTopic, EventReader.optionalHeader(record, CloudEventHeaders.ID), typeOf(record),
                EventReader.optionalHeader(record, CloudEventHeaders.SOURCE), reason);
    }

    /** {@code record} can never be applied and was skipped (followers only). */
    public void skipped(ConsumerRecord<?, ?> record, String reason) {
        counter(SKIPPED, record.topic(), typeOf(record)).increment();
        log.warn("{} skipped {} (ce_id={}, ce_type={}, ce_source={}): {}", consumer, position(record),
                EventReader.optionalHeader(record, CloudEventHeaders.ID), typeOf(record),
                EventReader.optionalHeader(record, CloudEventHeaders.SOURCE), reason);
    }

    /** The {@code type} tag of a record: its catalog type, {@code tombstone} or {@code unknown}. */
    public static String typeOf(ConsumerRecord<?, ?> record) {
        if (record.value() == null) {
            return "tombstone";
        }
        String type = EventReader.optionalHeader(record, CloudEventHeaders.TYPE);
        return type != null && EventCatalog.byName(type).isPresent() ? type : "unknown";
    }

    private static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private Counter counter(String name, String topic, String type) {
        return counters.computeIfAbsent(name + '|' + topic + '|' + type, k -> Counter.builder(name)
                .tag("consumer", consumer).tag("topic", topic).tag("type", type).register(meters));
    }
}

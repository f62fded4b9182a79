package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.event.TopicDefinition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.TreeSet;

/**
 * Reads a Kafka record written by {@link OutboxRelay} (or any CloudEvents binary-mode producer) into a typed
 * {@link InboundEvent}, and refuses what is not a valid platform event: missing headers, a type the catalog does
 * not know, a type published on another topic, a {@code ce_source} that is not one of the topic's writers
 * ({@link TopicDefinition#writers()}: on {@code api-keys.v1} only billing-service may mint a key), or a value
 * that does not map onto the type's record. Plain Java (Kafka clients, Jackson): group consumers, the gateway's
 * views and flags-client all read through it.
 */
public class EventReader {

    private final JsonMapper json;

    public EventReader(JsonMapper json) {
        this.json = json;
    }

    /**
     * Reads a record of any catalog type.
     *
     * @throws UnreadableEventException when it is not a valid platform event (see the class comment); never for a
     *                                  tombstone, which callers handle before reading (its value is null)
     */
    public InboundEvent<?> read(ConsumerRecord<String, String> record) {
        return read(record, type(record));
    }

    /**
     * Reads a record of a type the catalog does not know yet (a newer producer's), checked like any other event
     * (headers, producer); its value is kept as it came.
     */
    public InboundEvent<UnknownEvent> readUnknown(ConsumerRecord<String, String> record) {
        String typeName = header(record, CloudEventHeaders.TYPE);
        EventType<UnknownEvent> type;
        try {
            type = new EventType<>(typeName, record.topic(), UnknownEvent.class);
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException("bad " + CloudEventHeaders.TYPE + " header: " + e.getMessage());
        }
        return read(record, type);
    }

    /** Reads a record that must be of {@code expected}. */
    public <T extends Record> InboundEvent<T> read(ConsumerRecord<String, String> record, EventType<T> expected) {
        String typeName = header(record, CloudEventHeaders.TYPE);
        if (!expected.name().equals(typeName)) {
            throw new UnreadableEventException("expected event type " + expected.name() + " but got " + typeName);
        }
        if (!expected.topic().equals(record.topic())) {
            throw new UnreadableEventException(expected.name() + " is published on " + expected.topic() + ", not on "
                    + record.topic());
        }
        String source = header(record, CloudEventHeaders.SOURCE);
        TopicDefinition topic = EventCatalog.topic(record.topic()).orElse(null);
        if (topic == null || !topic.isWrittenBy(source)) {
            throw new UnreadableEventException("ce_source '" + source + "' is not a producer of " + record.topic()
                    + " " + (topic == null ? "[]" : new TreeSet<>(topic.writers())));
        }
        if (record.value() == null) {
            throw new UnreadableEventException("event " + header(record, CloudEventHeaders.ID) + " has no value");
        }
        T data;
        try {
            data = expected.dataClass() == UnknownEvent.class ? expected.dataClass().cast(new UnknownEvent(record.value()))
                    : json.readValue(record.value(), expected.dataClass());
        } catch (JacksonException | NullPointerException | IllegalArgumentException e) {
            throw new UnreadableEventException("value does not match " + expected.name() + ": " + firstLine(e.getMessage()), e);
        }
        Instant time;
        try {
            time = Instant.parse(header(record, CloudEventHeaders.TIME));
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("bad " + CloudEventHeaders.TIME + " header", e);
        }
        return new InboundEvent<>(header(record, CloudEventHeaders.ID), expected, source, time,
                optionalHeader(record, CloudEventHeaders.SUBJECT), optionalHeader(record, CloudEventHeaders.TRACEPARENT),
                record.key(), data);
    }

    /** The record's catalog type (its {@code ce_type}). */
    public static EventType<?> type(ConsumerRecord<?, ?> record) {
        String typeName = header(record, CloudEventHeaders.TYPE);
        return EventCatalog.byName(typeName)
                .orElseThrow(() -> new UnreadableEventException("unknown event type '" + typeName + "'"));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        String value = optionalHeader(record, name);
        if (value == null || value.isBlank()) {
            throw new UnreadableEventException("missing header " + name);
        }
        return value;
    }

    static String optionalHeader(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

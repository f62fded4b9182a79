package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.EventType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads a Kafka record written by {@link OutboxRelay} (or any CloudEvents binary-mode producer). */
public class EventReader {

    private final JsonMapper json;

    public EventReader(JsonMapper json) {
        this.json = json;
    }

    /**
     * @throws UnreadableEventException when a header is missing, the type is unknown or the value does not
     *                                  map onto the type's record
     */
    public InboundEvent<?> read(ConsumerRecord<String, String> record) {
        String typeName = header(record, CloudEventHeaders.TYPE);
        EventType<?> type = EventCatalog.byName(typeName)
                .orElseThrow(() -> new UnreadableEventException("unknown event type '" + typeName + "'"));
        return read(record, type);
    }

    /** Reads a record that must be of {@code expected}. */
    public <T extends Record> InboundEvent<T> read(ConsumerRecord<String, String> record, EventType<T> expected) {
        String typeName = header(record, CloudEventHeaders.TYPE);
        if (!expected.name().equals(typeName)) {
            throw new UnreadableEventException("expected event type " + expected.name() + " but got " + typeName);
        }
        if (record.value() == null) {
            throw new UnreadableEventException("event " + header(record, CloudEventHeaders.ID) + " has no value");
        }
        T data;
        try {
            data = json.readValue(record.value(), expected.dataClass());
        } catch (JacksonException | NullPointerException | IllegalArgumentException e) {
            throw new UnreadableEventException("value does not match " + expected.name() + ": " + e.getMessage(), e);
        }
        Instant time;
        try {
            time = Instant.parse(header(record, CloudEventHeaders.TIME));
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("bad " + CloudEventHeaders.TIME + " header", e);
        }
        return new InboundEvent<>(header(record, CloudEventHeaders.ID), expected,
                header(record, CloudEventHeaders.SOURCE), time, optionalHeader(record, CloudEventHeaders.SUBJECT),
                optionalHeader(record, CloudEventHeaders.TRACEPARENT), record.key(), data);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        String value = optionalHeader(record, name);
        if (value == null || value.isBlank()) {
            throw new UnreadableEventException("missing header " + name);
        }
        return value;
    }

    private static String optionalHeader(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

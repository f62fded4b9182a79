package dev.chatplatform.analytics;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Publishes events on the shared broker the way the outbox relay does (CloudEvents binary mode). */
public final class AnalyticsTestEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AnalyticsTestEvents() {
    }

    public static UsageRecorded usage(String account, String model, String provider, long input, long output, long cost,
                               UsageRecorded.Outcome outcome, long latencyMs, Long ttftMs, Instant at) {
        return new UsageRecorded("req-" + UUID.randomUUID(), account, "k_1", model, provider, input, 0, output, cost,
                false, outcome, ttftMs != null, latencyMs, ttftMs, at);
    }

    public static void send(UsageRecorded u) {
        send(UsageRecorded.TYPE, u.accountId(), EventIds.of(UsageRecorded.TYPE, u.requestId()), Instant.now(), u);
    }

    public static void send(AccountChanged a) {
        send(AccountChanged.TYPE, a.accountId(), EventIds.of(AccountChanged.TYPE, a.accountId() + "@" + a.version()),
                a.changedAt(), a);
    }

    public static void send(EventType<?> type, String key, String id, Instant time, Object data) {
        sendRaw(type.topic(), type.name(), key, id, time, JSON.writeValueAsString(data));
    }

    public static void sendRaw(String topic, String type, String key, String id, Instant time, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_VALUE));
        record.headers().add(CloudEventHeaders.ID, bytes(id));
        record.headers().add(CloudEventHeaders.TYPE, bytes(type));
        record.headers().add(CloudEventHeaders.SOURCE, bytes("test"));
        record.headers().add(CloudEventHeaders.TIME, bytes(time.toString()));
        record.headers().add(CloudEventHeaders.SUBJECT, bytes(key));
        record.headers().add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        KafkaProbe.send(record);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.chatplatform.analytics;

import dev.chatplatform.contracts.event.TopicDefinition;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
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

    /** An upstream attempt of request {@code account/request}. */
    public static LlmCallRecorded call(String account, String request, int attempt, String provider, String model,
                                       LlmCallRecorded.Outcome outcome, String errorClass, long latencyMs, Long ttftMs,
                                       long cost, Map<String, String> flagVariants, Instant at) {
        return new LlmCallRecorded(account + "/" + request, account, attempt, provider, model, model, outcome, errorClass, latencyMs,
                ttftMs, 10, 0, 20, cost, false, flagVariants, at);
    }

    public static void send(LlmCallRecorded c) {
        send(LlmCallRecorded.TYPE, c.accountId(), EventIds.of(LlmCallRecorded.TYPE, c.requestId() + ":" + c.attempt()),
                Instant.now(), c);
    }

    /** A subscription version with its price; the event id is billing-service's (account, version). */
    public static SubscriptionChanged subscription(String account, long version, String tier, String status,
                                                   Long monthlyAmount, String currency, Instant at) {
        return new SubscriptionChanged(account, tier, status, monthlyAmount == null ? "local" : "stripe", null, false,
                null, null, version, at, monthlyAmount, currency);
    }

    public static void send(SubscriptionChanged s) {
        send(SubscriptionChanged.TYPE, s.accountId(),
                EventIds.of(SubscriptionChanged.TYPE, s.accountId() + ":subscription:v" + s.version()), s.changedAt(), s);
    }

    /** An invoice event caused by the Stripe event {@code stripeEventId}. */
    public static void send(InvoiceChanged i, String stripeEventId) {
        send(InvoiceChanged.TYPE, i.accountId(), EventIds.of(InvoiceChanged.TYPE, stripeEventId), i.occurredAt(), i);
    }

    public static void send(RolloutDecided d) {
        send(RolloutDecided.TYPE, d.flagKey(), EventIds.of(RolloutDecided.TYPE, d.flagKey() + "@" + d.flagVersion()),
                d.decidedAt(), d);
    }

    public static void send(ConversationChanged c) {
        send(ConversationChanged.TYPE, c.accountId(), EventIds.of(ConversationChanged.TYPE,
                c.conversationId() + ":" + c.action() + ":" + c.occurredAt()), c.occurredAt(), c);
    }

    public static MessageRecorded message(String account, String conversation, String role, String status, String model,
                                          long input, long output, Instant at) {
        return new MessageRecorded(conversation, "msg_" + UUID.randomUUID(), account, role, status, model, null, input,
                0, output, null, at);
    }

    public static void send(MessageRecorded m) {
        send(MessageRecorded.TYPE, m.accountId(), EventIds.of(MessageRecorded.TYPE, m.messageId()), m.occurredAt(), m);
    }

    /** An audit entry as the service that recorded it publishes it (its {@code ce_source}, event id from the entry id). */
    public static void send(AuditRecorded a) {
        sendAs(a.service(), AuditRecorded.TYPE.topic(), AuditRecorded.TYPE.name(), a.key(),
                EventIds.of(AuditRecorded.TYPE, a.entryId()), a.at(), JSON.writeValueAsString(a));
    }

    public static void send(EventType<?> type, String key, String id, Instant time, Object data) {
        sendRaw(type.topic(), type.name(), key, id, time, JSON.writeValueAsString(data));
    }

    public static void sendRaw(String topic, String type, String key, String id, Instant time, String value) {
        sendAs(producerOf(topic), topic, type, key, id, time, value);
    }

    /** Sends as {@code source}, one of the topic's writers (the consumer refuses any other). */
    static void sendAs(String source, String topic, String type, String key, String id, Instant time, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_VALUE));
        record.headers().add(CloudEventHeaders.ID, bytes(id));
        record.headers().add(CloudEventHeaders.TYPE, bytes(type));
        record.headers().add(CloudEventHeaders.SOURCE, bytes(source));
        record.headers().add(CloudEventHeaders.TIME, bytes(time.toString()));
        record.headers().add(CloudEventHeaders.SUBJECT, bytes(key));
        record.headers().add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        KafkaProbe.send(record);
    }

    /** The {@code ce_source} consumers accept on {@code topic}: its producer in the catalog. */
    static String producerOf(String topic) {
        return EventCatalog.topic(topic).map(TopicDefinition::producer).orElse("test");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

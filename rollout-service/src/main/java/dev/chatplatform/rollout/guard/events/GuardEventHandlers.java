package dev.chatplatform.rollout.guard.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.kit.events.UnreadableEventException;
import dev.chatplatform.rollout.guard.GuardService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Turns {@code llm-calls.v1} (tagged with {@code flagVariants}) and {@code usage.v1} (attributed by account)
 * into observations. Idempotent: an observation is keyed by source, event id and flag.
 */
@Component
class GuardEventHandlers {

    private final EventReader reader;
    private final JsonMapper json;
    private final GuardService guard;

    GuardEventHandlers(EventReader reader, JsonMapper json, GuardService guard) {
        this.reader = reader;
        this.json = json;
        this.guard = guard;
    }

    @KafkaListener(topics = GuardEventsConfig.LLM_CALLS_TOPIC)
    void onLlmCall(ConsumerRecord<String, String> record) {
        String type = header(record, CloudEventHeaders.TYPE);
        if (!LlmCallRecorded.TYPE.equals(type)) {
            return; // other types on the topic are not the guard's business
        }
        String id = header(record, CloudEventHeaders.ID);
        if (id == null || record.value() == null) {
            throw new UnreadableEventException("llm-call event without id or value");
        }
        LlmCallRecorded call;
        try {
            call = json.readValue(record.value(), LlmCallRecorded.class);
        } catch (JacksonException e) {
            throw new UnreadableEventException("value does not match " + LlmCallRecorded.TYPE + ": " + e.getMessage(), e);
        }
        if (call.flagVariants() == null || call.flagVariants().isEmpty()) {
            return;
        }
        Instant at = call.occurredAt() != null ? call.occurredAt() : time(record);
        guard.observeTagged(GuardService.LLM_CALLS, id, call.flagVariants(), call.failed(), call.latencyMs(),
                call.costMicroUsd(), at);
    }

    @KafkaListener(topics = Topics.USAGE)
    void onUsage(ConsumerRecord<String, String> record) {
        InboundEvent<UsageRecorded> event = reader.read(record, UsageRecorded.TYPE);
        UsageRecorded u = event.data();
        guard.observeAccount(GuardService.USAGE, event.id(), u.accountId(),
                u.outcome() == UsageRecorded.Outcome.UPSTREAM_ERROR, u.latencyMs(), u.costMicroUsd(), u.occurredAt());
    }

    private static Instant time(ConsumerRecord<String, String> record) {
        String time = header(record, CloudEventHeaders.TIME);
        return time == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(time);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

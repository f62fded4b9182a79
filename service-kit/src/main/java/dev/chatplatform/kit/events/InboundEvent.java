package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;

/**
 * An event read back from Kafka: its CloudEvents envelope and its typed data.
 *
 * @param id          the event id (deterministic from its cause): the idempotency key
 * @param type        the logical type
 * @param source      the producing service
 * @param time        when the event was enqueued
 * @param subject     the account it is about, or null
 * @param traceparent the trace of the request that caused it, or null
 * @param key         the Kafka record key
 * @param data        the payload
 */
public record InboundEvent<T extends Record>(
        String id, EventType<T> type, String source, Instant time, String subject, String traceparent,
        String key, T data) {
}

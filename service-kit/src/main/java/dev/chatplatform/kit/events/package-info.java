/**
 * Events in and out. Out: {@link dev.chatplatform.kit.events.Outbox#publish} inside the transaction that
 * changes state, relayed to Kafka by {@link dev.chatplatform.kit.events.OutboxRelay} with CloudEvents
 * headers. In: {@link dev.chatplatform.kit.events.EventReader} turns a Kafka record back into a typed
 * {@link dev.chatplatform.kit.events.InboundEvent}, and {@link dev.chatplatform.kit.events.ProcessedEvents}
 * makes its effect happen once.
 */
package dev.chatplatform.kit.events;

package dev.chatplatform.kit.events;

/**
 * The data of an event whose type this build's catalog does not know yet (a newer producer's type): its value as
 * it came. Only subscriptions that asked for such events ({@link EventSubscription#withUnknownTypes}) get them; the
 * {@link InboundEvent#type()} is made up from the record's {@code ce_type} and topic.
 *
 * @param json the record's value
 */
public record UnknownEvent(String json) {
}

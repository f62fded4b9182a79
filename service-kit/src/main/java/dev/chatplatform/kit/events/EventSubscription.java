package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.EventType;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One consumer of platform events, declared as a bean and run by the kit ({@link EventListeners}): its purpose
 * (the consumer is named {@code <spring.application.name>.<purpose>}, which is its listener id, its consumer
 * group and its {@code consumer} metric tag), the event types it handles (its topics follow from them) and what
 * it does with them:
 * <ul>
 *   <li>{@link #perEvent}: a handler per event type, called for each event in record order;</li>
 *   <li>{@link #batch}: one handler that gets a poll's events as a list (to write them with one statement).</li>
 * </ul>
 * Either way the kit applies a poll's events in ONE transaction of the service's {@code TransactionTemplate} (one
 * database commit for a whole poll); when the database refuses one of them for good, the kit applies them one by
 * one to find it: it alone is dead-lettered, the others are applied. A handler must therefore not swallow a
 * database error and go on (the shared transaction is lost with it): it throws, and the kit sorts it out.
 * Records of a catalog type the subscription does not handle (a topic may carry several types), and of a type the
 * catalog does not know yet (a newer producer's; see {@link #withUnknownTypes}), are passed over; a tombstone (null value) goes to {@link #onTombstone} or is passed over too. Effects must be idempotent
 * ({@link ProcessedEvents} or a newest-version-wins upsert): delivery is at least once.
 */
public final class EventSubscription {

    /** Applies one event (inside the poll's transaction the kit opened). */
    @FunctionalInterface
    public interface Handler<T extends Record> {
        void handle(InboundEvent<T> event);
    }

    /** Applies a poll's events, in order, inside the transaction the kit opened. */
    @FunctionalInterface
    public interface BatchHandler<T extends Record> {
        void handle(List<InboundEvent<T>> events);
    }

    /**
     * Refuses an event whose values the consumer can never apply (throws {@link UnreadableEventException} naming
     * the value), before anything is applied: in a batch, only that record is dead-lettered.
     */
    @FunctionalInterface
    public interface Check {
        void check(InboundEvent<?> event);
    }

    /** Applies a tombstone (a null value: the key's entity is gone) of a compacted topic. */
    @FunctionalInterface
    public interface TombstoneHandler {
        void handle(String topic, String key);
    }

    private final String purpose;
    private final Map<String, EventType<?>> types;
    private final Map<String, Handler<?>> handlers;
    private final BatchHandler<?> batchHandler;
    private final Check check;
    private final Map<String, TombstoneHandler> tombstones;
    private final boolean unknownTypes;

    private EventSubscription(String purpose, Map<String, EventType<?>> types, Map<String, Handler<?>> handlers,
                              BatchHandler<?> batchHandler, Check check, Map<String, TombstoneHandler> tombstones) {
        this(purpose, types, handlers, batchHandler, check, tombstones, false);
    }

    private EventSubscription(String purpose, Map<String, EventType<?>> types, Map<String, Handler<?>> handlers,
                              BatchHandler<?> batchHandler, Check check, Map<String, TombstoneHandler> tombstones,
                              boolean unknownTypes) {
        if (!purpose.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a consumer's purpose is lower-case words joined by '-': " + purpose);
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException(purpose + " handles no event type");
        }
        this.purpose = purpose;
        this.types = Map.copyOf(types);
        this.handlers = Map.copyOf(handlers);
        this.batchHandler = batchHandler;
        this.check = check;
        this.tombstones = Map.copyOf(tombstones);
        this.unknownTypes = unknownTypes;
    }

    /** Handles each event of {@code type} with {@code handler}; {@link #and} adds more types. */
    public static <T extends Record> EventSubscription perEvent(String purpose, EventType<T> type, Handler<T> handler) {
        return new EventSubscription(purpose, Map.of(type.name(), type), Map.of(type.name(), handler), null,
                event -> { }, Map.of());
    }

    /** Handles a poll's events of {@code type} in one transaction. */
    public static <T extends Record> EventSubscription batch(String purpose, EventType<T> type, BatchHandler<T> handler) {
        return new EventSubscription(purpose, Map.of(type.name(), type), Map.of(), handler, event -> { }, Map.of());
    }

    /** Handles a poll's events of all of {@code types} (mixed, in record order) in one transaction. */
    public static EventSubscription batch(String purpose, Collection<EventType<?>> types, BatchHandler<Record> handler) {
        Map<String, EventType<?>> byName = new LinkedHashMap<>();
        types.forEach(t -> byName.put(t.name(), t));
        return new EventSubscription(purpose, byName, Map.of(), handler, event -> { }, Map.of());
    }

    /** Also handles each event of {@code type} with {@code handler} (per-event subscriptions only). */
    public <T extends Record> EventSubscription and(EventType<T> type, Handler<T> handler) {
        if (batchHandler != null) {
            throw new IllegalStateException(purpose + " is a batch subscription: list its types in batch(...)");
        }
        Map<String, EventType<?>> moreTypes = new LinkedHashMap<>(types);
        moreTypes.put(type.name(), type);
        Map<String, Handler<?>> moreHandlers = new LinkedHashMap<>(handlers);
        moreHandlers.put(type.name(), handler);
        return new EventSubscription(purpose, moreTypes, moreHandlers, null, check, tombstones, unknownTypes);
    }

    /** Refuses events that {@code check} rejects (dead-lettered with its reason). */
    public EventSubscription checkedBy(Check check) {
        return new EventSubscription(purpose, types, handlers, batchHandler, Objects.requireNonNull(check), tombstones,
                unknownTypes);
    }

    /**
     * Hands tombstones of {@code topic} to {@code handler}, in the poll's transaction: per-event subscriptions in
     * record order, batch subscriptions after the poll's events (the platform's producers publish a final
     * state instead of a tombstone, so a tombstone ends a key for good and its order among other keys' events
     * does not matter).
     */
    public EventSubscription onTombstone(String topic, TombstoneHandler handler) {
        Map<String, TombstoneHandler> more = new LinkedHashMap<>(tombstones);
        more.put(topic, handler);
        return new EventSubscription(purpose, types, handlers, batchHandler, check, more, unknownTypes);
    }

    /**
     * Also hands over, as {@link UnknownEvent}s, the records on its topics of a type the catalog does not know yet
     * (a newer producer's), checked like any other (headers, producer); batch subscriptions over several types only
     * (analytics counts every event by type, also those).
     */
    public EventSubscription withUnknownTypes() {
        if (batchHandler == null || types.size() < 2) {
            throw new IllegalStateException(purpose + ": only a batch subscription of several types takes unknown types");
        }
        return new EventSubscription(purpose, types, handlers, batchHandler, check, tombstones, true);
    }

    public String purpose() {
        return purpose;
    }

    /** The topics the handled types (and tombstones) are published on. */
    public Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        types.values().forEach(t -> topics.add(t.topic()));
        topics.addAll(tombstones.keySet());
        return topics;
    }

    boolean isBatch() {
        return batchHandler != null;
    }

    boolean takesUnknownTypes() {
        return unknownTypes;
    }

    boolean handles(EventType<?> type) {
        return types.containsKey(type.name());
    }

    void check(InboundEvent<?> event) {
        check.check(event);
    }

    TombstoneHandler tombstoneHandler(String topic) {
        return tombstones.get(topic);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void handle(InboundEvent<?> event) {
        ((Handler) handlers.get(event.type().name())).handle(event);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void handle(List<InboundEvent<?>> events) {
        ((BatchHandler) batchHandler).handle(events);
    }
}

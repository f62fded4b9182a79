package dev.chatplatform.contracts.event;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids are derived from their cause, never random, so a retried request or a replayed transaction
 * produces the same id and consumers can recognise the duplicate.
 */
public final class EventIds {

    private EventIds() {
    }

    /**
     * A name-based UUID for an event of the given type caused by {@code cause} (a request id, an entity id
     * plus its version, a Stripe event id...). The same inputs always give the same id.
     */
    public static String of(EventType<?> type, String cause) {
        return UUID.nameUUIDFromBytes((type.name() + "|" + cause).getBytes(StandardCharsets.UTF_8)).toString();
    }
}

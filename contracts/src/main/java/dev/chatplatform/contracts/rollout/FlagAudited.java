package dev.chatplatform.contracts.rollout;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a flag's audit log, published on {@code rollout-audit.v1} (key = flag key) for every change:
 * who, when, the state before and after, and why.
 *
 * @param flagKey the flag changed
 * @param version the flag version the change produced
 * @param action  CREATED, UPDATED, KILLED, REVIVED, ROLLED_BACK, PLAN_SET, PHASE_ADVANCED
 * @param actor   the account that made the change, or {@code rollout-guard} for automatic decisions
 * @param reason  why
 * @param before  the state before, or null when the flag was created
 * @param after   the state after
 * @param at      when
 */
public record FlagAudited(
        String flagKey,
        long version,
        String action,
        String actor,
        String reason,
        FlagChanged before,
        FlagChanged after,
        Instant at) {

    public static final EventType<FlagAudited> TYPE =
            new EventType<>("flag.audited.v1", Topics.AUDIT, FlagAudited.class);

    public FlagAudited {
        Objects.requireNonNull(flagKey, "flagKey");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(at, "at");
    }
}

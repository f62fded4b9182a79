package dev.chatplatform.rollout.plan;

import java.time.Instant;
import java.util.List;

/**
 * A flag's phased plan.
 *
 * @param status ACTIVE, COMPLETED (last phase reached) or ROLLED_BACK (the guard killed the flag)
 */
public record Plan(String flagKey, List<Phase> phases, int currentPhase, Instant phaseStartedAt, String status,
                   boolean autoAdvance) {

    public static final String ACTIVE = "ACTIVE";
    public static final String COMPLETED = "COMPLETED";
    public static final String ROLLED_BACK = "ROLLED_BACK";

    /** The default plan: allow-listed test accounts, then 10, 25, 50 and 100 %, one hour and 100 events each. */
    public static List<Phase> defaultPhases() {
        return List.of(new Phase("test-accounts", 0, 3600, 100), new Phase("10%", 10, 3600, 100),
                new Phase("25%", 25, 3600, 100), new Phase("50%", 50, 3600, 100), new Phase("100%", 100, 0, 0));
    }

    public Phase phase() {
        return phases.get(currentPhase);
    }

    public boolean hasNext() {
        return currentPhase + 1 < phases.size();
    }
}

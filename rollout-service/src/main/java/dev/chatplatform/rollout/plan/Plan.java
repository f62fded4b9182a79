package dev.chatplatform.rollout.plan;

import java.time.Instant;
import java.util.List;

/**
 * A flag's phased plan.
 *
 * @param phaseStartedAt when the current phase started, or resumed last: its minimum duration counts from here
 */
public record Plan(String flagKey, List<Phase> phases, int currentPhase, Instant phaseStartedAt, PlanStatus status,
                   boolean autoAdvance) {

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

    /** This plan in {@code next} status from {@code at} on (a resumed phase's minimum duration starts again). */
    Plan becoming(PlanStatus next, Instant at) {
        return new Plan(flagKey, phases, currentPhase, next == PlanStatus.ACTIVE ? at : phaseStartedAt, next, autoAdvance);
    }
}

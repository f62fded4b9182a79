package dev.chatplatform.rollout.plan;

import java.util.Set;

/**
 * Where a plan is. Only an {@link #ACTIVE} plan advances (by an admin, or by the guard when its phase held). A
 * {@link #PAUSED} plan stays at its phase, but the guard still judges the flag and rolls it back on a breach: a pause
 * holds exposure where it is, it never switches the safety net off.
 */
public enum PlanStatus {
    ACTIVE, PAUSED, COMPLETED, ROLLED_BACK;

    /** Whether a plan in this status may move to {@code next} (setting a new plan replaces it whatever its status). */
    public boolean canBecome(PlanStatus next) {
        return switch (this) {
            case ACTIVE -> Set.of(PAUSED, COMPLETED, ROLLED_BACK).contains(next);
            case PAUSED -> Set.of(ACTIVE, ROLLED_BACK).contains(next);
            case COMPLETED -> next == ROLLED_BACK; // a breach after the last phase still kills the flag
            case ROLLED_BACK -> false;
        };
    }
}

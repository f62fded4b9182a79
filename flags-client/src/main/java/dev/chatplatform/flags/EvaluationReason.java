package dev.chatplatform.flags;

/** Why an evaluation gave its variant, in the order the rules are applied. */
public enum EvaluationReason {
    /** No such flag is known: the caller's default applies. */
    FLAG_NOT_FOUND,
    /** The environment kill switch ({@code ROLLOUT_KILL}) names the flag: it wins over everything stored. */
    ENV_KILLED,
    /** Killed by an admin or rolled back automatically. */
    KILLED,
    /** The flag is switched off. */
    DISABLED,
    DENY_LISTED,
    ALLOW_LISTED,
    /** A segment condition did not match the context. */
    SEGMENT_MISMATCH,
    /** Inside the sticky percentage. */
    IN_ROLLOUT,
    /** Outside the sticky percentage. */
    OUT_OF_ROLLOUT;

    /** Whether this reason came from targeting rules rather than the flag being off or unknown. */
    public boolean isTargeting() {
        return this == DENY_LISTED || this == ALLOW_LISTED || this == SEGMENT_MISMATCH;
    }
}

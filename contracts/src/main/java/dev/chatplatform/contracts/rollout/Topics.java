package dev.chatplatform.contracts.rollout;

/** Topics written by rollout-service. Keys are flag keys. */
public final class Topics {

    /** Compacted: the latest full state of every flag ({@link FlagChanged}); every service evaluates from it. */
    public static final String FLAGS = "flags.v1";
    /** Automatic decisions (rollbacks, phase advances) with the evidence they were taken on ({@link RolloutDecided}). */
    public static final String DECISIONS = "rollout-decisions.v1";

    private Topics() {
    }
}

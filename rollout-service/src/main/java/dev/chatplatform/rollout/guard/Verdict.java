package dev.chatplatform.rollout.guard;

import dev.chatplatform.contracts.rollout.RolloutDecided;

import java.util.List;

/**
 * The guard's judgement of a flag.
 *
 * @param status           BREACH (roll back), HEALTHY (every rule held on some source), or INCONCLUSIVE
 * @param evidence         every rule judged
 * @param treatmentSamples the most treatment events any one source saw in the window
 */
public record Verdict(Status status, List<RolloutDecided.Evidence> evidence, long treatmentSamples) {

    public enum Status {
        BREACH,
        HEALTHY,
        INCONCLUSIVE
    }
}

package dev.chatplatform.contracts.rollout;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An automatic rollout decision with the evidence it was taken on, published on {@code rollout-decisions.v1}
 * (key = flag key): a rollback when a variant breached its SLOs against the control group, or a phase
 * advance when the phase's SLOs held for its minimum duration and sample.
 *
 * @param flagKey     the flag decided on
 * @param decision    what was decided
 * @param flagVersion the flag version the decision produced
 * @param phase       the plan phase now in force (index from 0), or null without a plan
 * @param percentage  the rollout percentage now in force
 * @param reason      a one-line human summary
 * @param evidence    every rule evaluated, per variant and event source
 * @param decidedAt   when the decision was taken
 */
public record RolloutDecided(
        String flagKey,
        Decision decision,
        long flagVersion,
        Integer phase,
        int percentage,
        String reason,
        List<Evidence> evidence,
        Instant decidedAt) {

    public static final EventType<RolloutDecided> TYPE =
            new EventType<>("rollout.decided.v1", Topics.DECISIONS, RolloutDecided.class);

    public RolloutDecided {
        Objects.requireNonNull(flagKey, "flagKey");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(decidedAt, "decidedAt");
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public enum Decision {
        /** A variant breached an SLO: the flag was set to its safe state. */
        ROLLED_BACK,
        /** The phase's SLOs held: the plan moved to its next phase. */
        ADVANCED
    }

    /**
     * One SLO rule for one variant over one event source.
     *
     * @param rule           error_rate, p95_latency_ms or cost_per_request_micro_usd
     * @param source         the events measured: llm-calls.v1 or usage.v1
     * @param variant        the variant measured
     * @param variantValue   its value, or null without enough samples
     * @param controlValue   the control group's value, or null without enough control samples
     * @param threshold      the limit the variant was held to
     * @param variantSamples events of the variant in the window
     * @param controlSamples events of the control group in the window
     * @param verdict        BREACH, HELD or INCONCLUSIVE (too few samples: never counted as healthy)
     */
    public record Evidence(
            String rule,
            String source,
            String variant,
            Double variantValue,
            Double controlValue,
            Double threshold,
            long variantSamples,
            long controlSamples,
            String verdict) {
    }
}

package dev.chatplatform.rollout.flag;

/**
 * The SLOs guarding a flag, checked continuously against events tagged with its variants; a breach rolls
 * the flag back to its off variant. Each treatment variant is compared with the control group (the off
 * variant) over the same window; fewer than {@code minSamples} events on either side is inconclusive, never
 * healthy.
 *
 * @param guarded              false switches automatic rollback off for this flag
 * @param maxErrorRate         breach when a variant's error rate is above this and above the control's
 * @param maxLatencyRatio      breach when a variant's p95 latency exceeds the control's times this
 * @param maxP95LatencyMs      optional absolute p95 limit (applies even without a control group)
 * @param maxCostRatio         breach when a variant's mean cost per request exceeds the control's times this
 * @param maxCostPerRequestMicroUsd optional absolute limit on the mean cost per request
 * @param minSamples           events needed per variant (and for the control) before a rule can judge
 * @param windowSeconds        how far back events count (never before the flag's last change)
 */
public record SloRules(
        boolean guarded,
        double maxErrorRate,
        double maxLatencyRatio,
        Long maxP95LatencyMs,
        double maxCostRatio,
        Long maxCostPerRequestMicroUsd,
        int minSamples,
        int windowSeconds) {

    public static final SloRules DEFAULTS = new SloRules(true, 0.05, 1.5, null, 1.5, null, 100, 900);
}

package dev.chatplatform.rollout.guard.web;

import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.rollout.guard.VariantStats;

import java.time.Instant;
import java.util.List;

/**
 * Variants side by side since the flag's last change (within its window), with the guard's verdict.
 *
 * @param control  the control group's variant (the flag's off variant)
 * @param variants per source and variant: volume, error rate, p50/p95 latency, cost per request
 * @param verdict  BREACH, HEALTHY or INCONCLUSIVE
 * @param evidence every rule judged
 */
public record ComparisonResponse(String flagKey, long flagVersion, Instant since, String control,
                                 List<VariantStats> variants, String verdict, List<RolloutDecided.Evidence> evidence) {
}

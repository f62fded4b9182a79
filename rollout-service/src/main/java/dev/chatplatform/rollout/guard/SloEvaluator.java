package dev.chatplatform.rollout.guard;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided.Evidence;
import dev.chatplatform.rollout.flag.SloRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a flag's variants against its control group (the off variant), per event source, never mixing sources.
 * <ul>
 *   <li>error_rate: breach when above {@code maxErrorRate} and above the control's (the absolute limit alone when
 *       the control has too few events);</li>
 *   <li>p95_latency_ms and cost_per_request_micro_usd: breach when above the control's times the ratio (with a
 *       small absolute slack: 20 ms, 1 micro-USD) or above the optional absolute limit;</li>
 *   <li>fewer than {@code minSamples} events of the variant, or no limit to compare with: INCONCLUSIVE, which is
 *       never healthy.</li>
 * </ul>
 */
public final class SloEvaluator {

    public static final String ERROR_RATE = "error_rate";
    public static final String P95_LATENCY = "p95_latency_ms";
    public static final String COST = "cost_per_request_micro_usd";

    private SloEvaluator() {
    }

    public static Verdict evaluate(FlagChanged flag, SloRules rules, List<VariantStats> stats) {
        Map<String, List<VariantStats>> bySource = new LinkedHashMap<>();
        stats.forEach(s -> bySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s));
        List<Evidence> evidence = new ArrayList<>();
        boolean breach = false;
        boolean healthySource = false;
        long treatmentSamples = 0;
        for (Map.Entry<String, List<VariantStats>> entry : bySource.entrySet()) {
            VariantStats control = entry.getValue().stream()
                    .filter(s -> s.variant().equals(flag.offVariant())).findFirst().orElse(null);
            List<VariantStats> treatments = entry.getValue().stream()
                    .filter(s -> !s.variant().equals(flag.offVariant())).toList();
            if (treatments.isEmpty()) {
                continue;
            }
            treatmentSamples = Math.max(treatmentSamples, treatments.stream().mapToLong(VariantStats::requests).sum());
            boolean allHeld = true;
            for (VariantStats t : treatments) {
                for (Evidence e : List.of(errorRate(t, control, rules), latency(t, control, rules), cost(t, control, rules))) {
                    evidence.add(e);
                    breach |= e.verdict().equals("BREACH");
                    allHeld &= e.verdict().equals("HELD");
                }
            }
            healthySource |= allHeld;
        }
        Verdict.Status status = breach ? Verdict.Status.BREACH
                : healthySource ? Verdict.Status.HEALTHY : Verdict.Status.INCONCLUSIVE;
        return new Verdict(status, evidence, treatmentSamples);
    }

    private static Evidence errorRate(VariantStats t, VariantStats control, SloRules rules) {
        boolean controlOk = enough(control, rules);
        Double controlValue = controlOk ? control.errorRate() : null;
        if (!enough(t, rules)) {
            return evidence(ERROR_RATE, t, null, controlValue, rules.maxErrorRate(), control, "INCONCLUSIVE");
        }
        boolean breach = t.errorRate() > rules.maxErrorRate() && (!controlOk || t.errorRate() > control.errorRate());
        return evidence(ERROR_RATE, t, t.errorRate(), controlValue, rules.maxErrorRate(), control, breach ? "BREACH" : "HELD");
    }

    private static Evidence latency(VariantStats t, VariantStats control, SloRules rules) {
        Double controlValue = enough(control, rules) ? control.p95LatencyMs() : null;
        Double relative = controlValue == null ? null : Math.max(controlValue * rules.maxLatencyRatio(), controlValue + 20);
        Double absolute = rules.maxP95LatencyMs() == null ? null : rules.maxP95LatencyMs().doubleValue();
        return judge(P95_LATENCY, t, t.p95LatencyMs(), controlValue, min(relative, absolute), control, rules);
    }

    private static Evidence cost(VariantStats t, VariantStats control, SloRules rules) {
        Double controlValue = enough(control, rules) ? control.costPerRequest() : null;
        Double relative = controlValue == null ? null : Math.max(controlValue * rules.maxCostRatio(), controlValue + 1);
        Double absolute = rules.maxCostPerRequestMicroUsd() == null ? null : rules.maxCostPerRequestMicroUsd().doubleValue();
        return judge(COST, t, t.costPerRequest(), controlValue, min(relative, absolute), control, rules);
    }

    private static Evidence judge(String rule, VariantStats t, Double value, Double controlValue, Double limit,
                                  VariantStats control, SloRules rules) {
        if (!enough(t, rules) || value == null || limit == null) {
            return evidence(rule, t, enough(t, rules) ? value : null, controlValue, limit, control, "INCONCLUSIVE");
        }
        return evidence(rule, t, value, controlValue, limit, control, value > limit ? "BREACH" : "HELD");
    }

    private static Evidence evidence(String rule, VariantStats t, Double value, Double controlValue, Double limit,
                                     VariantStats control, String verdict) {
        return new Evidence(rule, t.source(), t.variant(), value, controlValue, limit, t.requests(),
                control == null ? 0 : control.requests(), verdict);
    }

    private static boolean enough(VariantStats s, SloRules rules) {
        return s != null && s.requests() >= rules.minSamples();
    }

    private static Double min(Double a, Double b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Double.valueOf(Math.min(a, b));
    }
}

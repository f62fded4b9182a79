package dev.chatplatform.rollout.plan;

import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.rollout.flag.FlagService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Sets and advances plans; every phase change is a flag change (audited and published on flags.v1). */
@Service
public class PlanService {

    private final PlanRepository plans;
    private final FlagService flags;
    private final Clock clock;

    PlanService(PlanRepository plans, FlagService flags, Clock clock) {
        this.plans = plans;
        this.flags = flags;
        this.clock = clock;
    }

    public Optional<Plan> find(String flagKey) {
        return plans.find(flagKey);
    }

    public List<Plan> active() {
        return plans.findActive();
    }

    /** Replaces the flag's plan and starts it at its first phase. */
    @Transactional
    public Plan set(String flagKey, List<Phase> phases, boolean autoAdvance, String actor, String reason) {
        List<Phase> p = phases == null || phases.isEmpty() ? Plan.defaultPhases() : phases;
        for (int i = 0; i < p.size(); i++) {
            Phase phase = p.get(i);
            if (phase == null || phase.percentage() < 0 || phase.percentage() > 100 || phase.minDurationSeconds() < 0
                    || phase.minSamples() < 0) {
                throw ApiException.invalid("invalid_phase",
                        "phase " + i + ": percentage 0-100, minDurationSeconds and minSamples not negative", "phases");
            }
            if (i > 0 && phase.percentage() < p.get(i - 1).percentage()) {
                throw ApiException.invalid("invalid_phase", "phase percentages never decrease", "phases");
            }
        }
        Phase first = p.getFirst();
        flags.change(flagKey, FlagService.PLAN_SET, actor, reasonOr(reason, "plan set: phase 0 " + first.name()),
                s -> FlagService.with(s, s.killed(), first.percentage()), null);
        Plan plan = new Plan(flagKey, List.copyOf(p), 0, clock.instant(), Plan.ACTIVE, autoAdvance);
        plans.save(plan);
        return plan;
    }

    /** Moves to the next phase (manually, or by the guard with the evidence that the SLOs held). */
    @Transactional
    public Plan advance(String flagKey, String actor, String reason, List<RolloutDecided.Evidence> evidence) {
        Plan plan = plans.find(flagKey).orElseThrow(() -> ApiException.notFound("plan_not_found", "flag " + flagKey + " has no plan"));
        if (!Plan.ACTIVE.equals(plan.status()) || !plan.hasNext()) {
            throw ApiException.invalid("plan_not_active", "the plan is " + plan.status()
                    + (plan.hasNext() ? "" : " at its last phase"), null);
        }
        int nextIndex = plan.currentPhase() + 1;
        Phase next = plan.phases().get(nextIndex);
        flags.change(flagKey, FlagService.PHASE_ADVANCED, actor,
                reasonOr(reason, "phase " + nextIndex + " (" + next.name() + "): " + next.percentage() + " %"),
                s -> FlagService.with(s, s.killed(), next.percentage()), evidence);
        Plan advanced = new Plan(flagKey, plan.phases(), nextIndex, clock.instant(),
                nextIndex + 1 < plan.phases().size() ? Plan.ACTIVE : Plan.COMPLETED, plan.autoAdvance());
        plans.save(advanced);
        return advanced;
    }

    /** Marks the plan rolled back (in the guard's rollback transaction). */
    @Transactional
    public void rolledBack(String flagKey) {
        plans.find(flagKey).ifPresent(p -> plans.save(new Plan(p.flagKey(), p.phases(), p.currentPhase(),
                p.phaseStartedAt(), Plan.ROLLED_BACK, p.autoAdvance())));
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }
}

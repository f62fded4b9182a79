package dev.chatplatform.rollout.plan;

import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.rollout.flag.FlagService;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Sets, advances, pauses and resumes plans. A phase change is a flag change (audited and published on flags.v1 by
 * {@link FlagService}); a pause or resume changes the plan only, audited here with the plan before and after.
 */
@Service
public class PlanService {

    public static final String PAUSED = "flag.plan-paused";
    public static final String RESUMED = "flag.plan-resumed";

    private final PlanRepository plans;
    private final FlagService flags;
    private final AuditLog audit;
    private final Clock clock;

    PlanService(PlanRepository plans, FlagService flags, AuditLog audit, Clock clock) {
        this.plans = plans;
        this.flags = flags;
        this.audit = audit;
        this.clock = clock;
    }

    public Optional<Plan> find(String flagKey) {
        return plans.find(flagKey);
    }

    /** Replaces the flag's plan and starts it at its first phase. */
    @Transactional
    public Plan set(String flagKey, List<Phase> phases, boolean autoAdvance, AuditLog.Actor actor, String reason) {
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
        Plan plan = new Plan(flagKey, List.copyOf(p), 0, clock.instant(), PlanStatus.ACTIVE, autoAdvance);
        plans.save(plan);
        return plan;
    }

    /** Moves to the next phase (manually, or by the guard with the evidence that the SLOs held). */
    @Transactional
    public Plan advance(String flagKey, AuditLog.Actor actor, String reason, List<RolloutDecided.Evidence> evidence) {
        Plan plan = get(flagKey);
        if (plan.status() != PlanStatus.ACTIVE || !plan.hasNext()) {
            throw ApiException.invalid("plan_not_active", "the plan is " + plan.status()
                    + (plan.hasNext() ? "" : " at its last phase"), null);
        }
        int nextIndex = plan.currentPhase() + 1;
        Phase next = plan.phases().get(nextIndex);
        flags.change(flagKey, FlagService.PHASE_ADVANCED, actor,
                reasonOr(reason, "phase " + nextIndex + " (" + next.name() + "): " + next.percentage() + " %"),
                s -> FlagService.with(s, s.killed(), next.percentage()), evidence);
        Plan advanced = new Plan(flagKey, plan.phases(), nextIndex, clock.instant(),
                nextIndex + 1 < plan.phases().size() ? PlanStatus.ACTIVE : PlanStatus.COMPLETED, plan.autoAdvance());
        plans.save(advanced);
        return advanced;
    }

    /**
     * Holds the plan at its phase: it neither advances (manually or automatically) until resumed. The flag keeps its
     * exposure and stays guarded: a breach while paused still rolls it back.
     */
    @Transactional
    public Plan pause(String flagKey, AuditLog.Actor actor, String reason) {
        return move(flagKey, PlanStatus.PAUSED, PAUSED, actor, reason);
    }

    /** Resumes a paused plan at its phase, whose minimum duration starts again. */
    @Transactional
    public Plan resume(String flagKey, AuditLog.Actor actor, String reason) {
        return move(flagKey, PlanStatus.ACTIVE, RESUMED, actor, reason);
    }

    /** Marks the plan rolled back (in the guard's rollback transaction, which audits the decision). */
    @Transactional
    public void rolledBack(String flagKey) {
        plans.find(flagKey).filter(p -> p.status().canBecome(PlanStatus.ROLLED_BACK))
                .ifPresent(p -> plans.save(p.becoming(PlanStatus.ROLLED_BACK, clock.instant())));
    }

    private Plan move(String flagKey, PlanStatus next, String action, AuditLog.Actor actor, String reason) {
        Plan plan = get(flagKey);
        if (!plan.status().canBecome(next)) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "plan_status_conflict",
                    "the plan is " + plan.status() + ": it cannot become " + next, null);
        }
        Plan moved = plan.becoming(next, clock.instant());
        plans.save(moved);
        audit.record(actor, action, FlagService.TARGET, flagKey, plan, moved, reason);
        return moved;
    }

    private Plan get(String flagKey) {
        return plans.find(flagKey).orElseThrow(() -> ApiException.notFound("plan_not_found", "flag " + flagKey + " has no plan"));
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }
}

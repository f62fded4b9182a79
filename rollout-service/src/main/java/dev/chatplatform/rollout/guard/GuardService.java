package dev.chatplatform.rollout.guard;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.flags.CompiledFlag;
import dev.chatplatform.flags.Evaluation;
import dev.chatplatform.flags.FlagContext;
import dev.chatplatform.flags.Overrides;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.rollout.flag.FlagService;
import dev.chatplatform.rollout.flag.FlagView;
import dev.chatplatform.rollout.plan.Plan;
import dev.chatplatform.rollout.plan.PlanService;
import dev.chatplatform.rollout.plan.PlanStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps variant-tagged observations and judges every guarded flag continuously (every
 * {@code rollout.guard.interval}): a breach sets the flag to its safe state (killed: the off variant for
 * everyone), publishes a {@code rollout.decided.v1} with the evidence, and notifies (a WARN log line and the
 * audit log); a healthy phase that lasted its minimum duration and sample advances its plan. Decisions are
 * taken at the flag version they judged, so replicas running the same check act once.
 */
@Service
public class GuardService {

    /** Who the audit log names for the guard's decisions. */
    public static final AuditLog.Actor ACTOR = AuditLog.Actor.automatic("rollout-guard");
    public static final String LLM_CALLS = dev.chatplatform.contracts.provider.Topics.LLM_CALLS;
    public static final String USAGE = "usage.v1";

    private static final Logger log = LoggerFactory.getLogger(GuardService.class);

    private final ObservationRepository observations;
    private final FlagService flags;
    private final PlanService plans;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final Clock clock;

    GuardService(ObservationRepository observations, FlagService flags, PlanService plans, Outbox outbox,
                 TransactionTemplate tx, Clock clock) {
        this.observations = observations;
        this.flags = flags;
        this.plans = plans;
        this.outbox = outbox;
        this.tx = tx;
        this.clock = clock;
    }

    /** Records an event that names its variants ({@code flagVariants} of llm-calls.v1). */
    public void observeTagged(String source, String eventId, Map<String, String> flagVariants, boolean failed,
                              Long latencyMs, Long costMicroUsd, Instant occurredAt) {
        flagVariants.forEach((flag, variant) -> {
            if (flag != null && variant != null) {
                observations.insert(new Observation(source, eventId, flag, variant, failed, latencyMs, costMicroUsd, occurredAt));
            }
        });
    }

    /**
     * Records an untagged event of an account ({@code usage.v1}) under the variant each active flag serves that
     * account now. Sticky bucketing makes this the variant it was served, as long as the flag has not changed
     * since; flags with segments are skipped (the event does not carry the attributes they match on).
     */
    public void observeAccount(String source, String eventId, String accountId, boolean failed, Long latencyMs,
                               Long costMicroUsd, Instant occurredAt) {
        FlagContext context = FlagContext.ofAccount(accountId);
        for (FlagView flag : flags.list()) {
            FlagChanged s = flag.state();
            if (!flag.rules().guarded() || s.killed() || !s.enabled() || !s.segments().isEmpty()) {
                continue;
            }
            Evaluation e = new CompiledFlag(s).evaluate(context, Overrides.NONE);
            observations.insert(new Observation(source, eventId, s.key(), e.variant(), failed, latencyMs, costMicroUsd, occurredAt));
        }
    }

    /** The figures of a flag's variants since its last change (within its rules' window). */
    public List<VariantStats> stats(FlagView flag) {
        return observations.stats(flag.state().key(), since(flag));
    }

    public Verdict judge(FlagView flag) {
        return SloEvaluator.evaluate(flag.state(), flag.rules(), stats(flag));
    }

    @Scheduled(fixedDelayString = "${rollout.guard.interval:2s}", initialDelayString = "${rollout.guard.interval:2s}")
    void checkAll() {
        for (FlagView flag : flags.list()) {
            try {
                check(flag);
            } catch (RuntimeException e) {
                log.warn("rollout guard: checking flag {} failed: {}", flag.state().key(), e.toString());
            }
        }
    }

    /** Judges one flag and acts on the verdict; returns what it decided, if anything. */
    public Optional<RolloutDecided> check(FlagView flag) {
        FlagChanged s = flag.state();
        if (!flag.rules().guarded() || s.killed() || !s.enabled()) {
            return Optional.empty();
        }
        Verdict verdict = judge(flag);
        if (verdict.status() == Verdict.Status.BREACH) {
            return rollBack(flag, verdict);
        }
        if (verdict.status() == Verdict.Status.HEALTHY) {
            return plans.find(s.key()).filter(p -> readyToAdvance(p, verdict)).flatMap(p -> advance(flag, p, verdict));
        }
        return Optional.empty();
    }

    private Optional<RolloutDecided> rollBack(FlagView flag, Verdict verdict) {
        FlagChanged s = flag.state();
        List<RolloutDecided.Evidence> breaches = verdict.evidence().stream().filter(e -> e.verdict().equals("BREACH")).toList();
        RolloutDecided.Evidence first = breaches.getFirst();
        String reason = "automatic rollback: " + first.rule() + " of variant " + first.variant() + " on " + first.source()
                + " was " + round(first.variantValue()) + " (control " + round(first.controlValue()) + ", limit "
                + round(first.threshold()) + ", " + first.variantSamples() + " events)";
        return tx.execute(status -> flags.changeAtVersion(s.key(), s.version(), FlagService.ROLLED_BACK, ACTOR, reason,
                        current -> FlagService.with(current, true, current.rolloutPercentage()), verdict.evidence())
                .map(next -> {
                    plans.rolledBack(s.key());
                    Integer phase = plans.find(s.key()).map(Plan::currentPhase).orElse(null);
                    RolloutDecided decision = new RolloutDecided(s.key(), RolloutDecided.Decision.ROLLED_BACK,
                            next.state().version(), phase, next.state().rolloutPercentage(), reason, verdict.evidence(),
                            next.state().changedAt());
                    outbox.publish(RolloutDecided.TYPE, s.key() + "|" + next.state().version(), s.key(), null, decision);
                    log.warn("ROLLBACK of flag {} to its safe state '{}' (version {}): {}", s.key(), s.offVariant(),
                            next.state().version(), reason);
                    return decision;
                }));
    }

    private boolean readyToAdvance(Plan plan, Verdict verdict) {
        return plan.status() == PlanStatus.ACTIVE && plan.autoAdvance() && plan.hasNext()
                && !plan.phaseStartedAt().plusSeconds(plan.phase().minDurationSeconds()).isAfter(clock.instant())
                && verdict.treatmentSamples() >= Math.max(1, plan.phase().minSamples());
    }

    private Optional<RolloutDecided> advance(FlagView flag, Plan plan, Verdict verdict) {
        String key = flag.state().key();
        return Optional.ofNullable(tx.execute(status -> {
            if (flags.get(key).state().version() != flag.state().version()) {
                return null; // changed since it was judged: judge again next round
            }
            Plan next = plans.advance(key, ACTOR, "automatic advance: the SLOs held in phase " + plan.currentPhase()
                    + " over " + verdict.treatmentSamples() + " events", verdict.evidence());
            FlagView now = flags.get(key);
            RolloutDecided decision = new RolloutDecided(key, RolloutDecided.Decision.ADVANCED, now.state().version(),
                    next.currentPhase(), now.state().rolloutPercentage(),
                    "phase " + next.currentPhase() + " (" + next.phase().name() + ")", verdict.evidence(),
                    now.state().changedAt());
            outbox.publish(RolloutDecided.TYPE, key + "|" + now.state().version(), key, null, decision);
            log.info("rollout guard advanced flag {} to phase {} ({} %)", key, next.currentPhase(), now.state().rolloutPercentage());
            return decision;
        }));
    }

    private Instant since(FlagView flag) {
        Instant window = clock.instant().minus(Duration.ofSeconds(flag.rules().windowSeconds()));
        Instant changed = flag.state().changedAt();
        return changed.isAfter(window) ? changed : window;
    }

    private static String round(Double d) {
        return d == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", d);
    }
}

package dev.chatplatform.rollout.flag;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.flags.CompiledFlag;
import dev.chatplatform.flags.Evaluation;
import dev.chatplatform.flags.FlagContext;
import dev.chatplatform.flags.Overrides;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Every flag change goes through {@link #change}: in one transaction the row is locked, the new version stored, the
 * full state enqueued in the outbox ({@code flags.v1}) and the change recorded in the kit's {@link AuditLog} (target
 * {@code flag:<key>}, before and after as the flag's state; published on {@code audit.v1}). An automatic decision's
 * evidence goes into {@code after.evidence}, so the platform's audit log shows what the guard saw.
 */
@Service
public class FlagService {

    /** The audit log's target type of flags and their plans. */
    public static final String TARGET = "flag";
    public static final String CREATED = "flag.created";
    public static final String UPDATED = "flag.updated";
    public static final String KILLED = "flag.killed";
    public static final String REVIVED = "flag.revived";
    public static final String ROLLED_BACK = "flag.rolled-back";
    public static final String PLAN_SET = "flag.plan-set";
    public static final String PHASE_ADVANCED = "flag.phase-advanced";

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private static final String KEY_PATTERN = "[a-z0-9][a-z0-9._-]{0,99}";
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    private final FlagRepository flags;
    private final Outbox outbox;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Overrides overrides;
    private final Clock clock;

    FlagService(FlagRepository flags, Outbox outbox, AuditLog audit, JsonMapper json, Overrides overrides, Clock clock) {
        this.flags = flags;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
        this.overrides = overrides;
        this.clock = clock;
    }

    public List<FlagView> list() {
        return flags.findAll();
    }

    public FlagView get(String key) {
        return flags.find(key).orElseThrow(() -> notFound(key));
    }

    /** The audit log of a flag and its plan, newest first (the kit's audit_log, target {@code flag:<key>}). */
    public List<AuditRecorded> auditLog(String key, int limit) {
        get(key);
        return flags.auditLog(key, Math.clamp(limit, 1, 500));
    }

    public Overrides overrides() {
        return overrides;
    }

    @Transactional
    public FlagView create(String key, FlagDefinition definition, AuditLog.Actor actor, String reason) {
        if (key == null || !key.matches(KEY_PATTERN)) {
            throw ApiException.invalid("invalid_flag_key",
                    "key must be 1-100 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit", "key");
        }
        FlagChanged state = validated(key, definition, null, 1, actor.id(), reason);
        SloRules rules = rules(definition.rules(), SloRules.DEFAULTS);
        if (!flags.insert(state, rules)) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "flag_exists",
                    "flag " + key + " already exists; use PUT to change it", "key");
        }
        publish(CREATED, actor, reason, null, state, null);
        return new FlagView(state, rules);
    }

    @Transactional
    public FlagView update(String key, FlagDefinition definition, AuditLog.Actor actor, String reason) {
        FlagView current = flags.findForUpdate(key).orElseThrow(() -> notFound(key));
        FlagChanged next = validated(key, definition, current.state(), current.state().version() + 1, actor.id(), reason);
        SloRules rules = rules(definition.rules(), current.rules());
        flags.update(next, rules);
        publish(UPDATED, actor, reason, current.state(), next, null);
        return new FlagView(next, rules);
    }

    @Transactional
    public FlagView kill(String key, AuditLog.Actor actor, String reason) {
        return change(key, KILLED, actor, reason, s -> with(s, true, s.rolloutPercentage()), null);
    }

    @Transactional
    public FlagView revive(String key, AuditLog.Actor actor, String reason) {
        return change(key, REVIVED, actor, reason, s -> with(s, false, s.rolloutPercentage()), null);
    }

    /**
     * Applies {@code mutation} to the locked current state as the next version, audits and publishes it.
     * Must run in the caller's transaction (plans and the guard use it for their own changes).
     */
    @Transactional
    public FlagView change(String key, String action, AuditLog.Actor actor, String reason, UnaryOperator<FlagChanged> mutation,
                           List<RolloutDecided.Evidence> evidence) {
        return changeAtVersion(key, -1, action, actor, reason, mutation, evidence).orElseThrow();
    }

    /**
     * Like {@link #change}, but only when the flag is still at {@code expectedVersion} (any version when negative):
     * an automatic decision taken on a state that has changed since (another replica acted, an admin edited)
     * is dropped.
     */
    @Transactional
    public Optional<FlagView> changeAtVersion(String key, long expectedVersion, String action, AuditLog.Actor actor, String reason,
                                              UnaryOperator<FlagChanged> mutation, List<RolloutDecided.Evidence> evidence) {
        FlagView current = flags.findForUpdate(key).orElseThrow(() -> notFound(key));
        if (expectedVersion >= 0 && current.state().version() != expectedVersion) {
            return Optional.empty();
        }
        FlagChanged mutated = mutation.apply(current.state());
        FlagChanged next = new FlagChanged(mutated.key(), mutated.description(), mutated.kind(), mutated.enabled(),
                mutated.killed(), mutated.variants(), mutated.offVariant(), mutated.allowList(), mutated.denyList(),
                mutated.segments(), mutated.rolloutPercentage(), mutated.groupId(), current.state().version() + 1,
                actor.id(), reason, now());
        flags.update(next, current.rules());
        publish(action, actor, reason, current.state(), next, evidence);
        return Optional.of(new FlagView(next, current.rules()));
    }

    /** A copy of {@code s} with another kill state and percentage (the fields plans, kills and rollbacks change). */
    public static FlagChanged with(FlagChanged s, boolean killed, int percentage) {
        return new FlagChanged(s.key(), s.description(), s.kind(), s.enabled(), killed, s.variants(), s.offVariant(),
                s.allowList(), s.denyList(), s.segments(), percentage, s.groupId(), s.version(), s.changedBy(),
                s.reason(), s.changedAt());
    }

    /** Evaluates the requested flags (all when {@code keys} is empty) with the shared flags-client evaluator. */
    public Map<String, Evaluation> evaluate(Collection<String> keys, FlagContext context) {
        Map<String, Evaluation> out = new LinkedHashMap<>();
        Set<String> wanted = keys == null ? Set.of() : new HashSet<>(keys);
        for (FlagView flag : flags.findAll()) {
            if (wanted.isEmpty() || wanted.contains(flag.state().key())) {
                out.put(flag.state().key(), new CompiledFlag(flag.state()).evaluate(context, overrides));
            }
        }
        if (keys != null) {
            keys.forEach(k -> out.putIfAbsent(k, Evaluation.notFound(k)));
        }
        return out;
    }

    private void publish(String action, AuditLog.Actor actor, String reason, FlagChanged before, FlagChanged after,
                         List<RolloutDecided.Evidence> evidence) {
        outbox.publish(FlagChanged.TYPE, after.key() + "|" + after.version(), after.key(), null, after);
        Object state = after;
        if (evidence != null) {
            Map<String, Object> decided = json.convertValue(after, OBJECT);
            decided.put("evidence", evidence);
            state = decided;
        }
        audit.record(actor, action, TARGET, after.key(), before, state, reason);
    }

    private FlagChanged validated(String key, FlagDefinition d, FlagChanged current, long version, String actor,
                                  String reason) {
        FlagChanged.Kind kind = d.kind() != null ? d.kind() : current != null ? current.kind() : FlagChanged.Kind.BOOLEAN;
        List<FlagChanged.Variant> variants = d.variants();
        String off = d.offVariant();
        if (kind == FlagChanged.Kind.BOOLEAN) {
            if (variants != null && !variants.isEmpty()
                    && !(variants.size() == 1 && variants.getFirst().name().equals("on"))) {
                throw ApiException.invalid("invalid_variants", "a boolean flag has the single variant 'on'", "variants");
            }
            variants = List.of(new FlagChanged.Variant("on", 1));
            off = off == null ? "off" : off;
        } else {
            if (variants == null || variants.isEmpty()) {
                throw ApiException.invalid("invalid_variants", "a multi-variant flag needs at least one variant", "variants");
            }
            if (off == null) {
                throw ApiException.invalid("missing_off_variant",
                        "a multi-variant flag needs offVariant: its safe state and control group", "offVariant");
            }
        }
        Set<String> names = new HashSet<>();
        for (FlagChanged.Variant v : variants) {
            if (v == null || v.name() == null || !v.name().matches(NAME_PATTERN)) {
                throw ApiException.invalid("invalid_variants", "variant names are 1-100 of A-Z, a-z, 0-9, '.', '_', '-'", "variants");
            }
            if (v.weight() < 0 || v.weight() > 1_000_000) {
                throw ApiException.invalid("invalid_variants", "variant weights are from 0 to 1000000", "variants");
            }
            if (!names.add(v.name()) || v.name().equals(off)) {
                throw ApiException.invalid("invalid_variants", "variant names are unique and differ from offVariant", "variants");
            }
        }
        if (variants.stream().mapToInt(FlagChanged.Variant::weight).sum() <= 0) {
            throw ApiException.invalid("invalid_variants", "at least one variant needs a positive weight", "variants");
        }
        if (!off.matches(NAME_PATTERN)) {
            throw ApiException.invalid("invalid_off_variant", "offVariant is 1-100 of A-Z, a-z, 0-9, '.', '_', '-'", "offVariant");
        }
        int percentage = d.rolloutPercentage() != null ? d.rolloutPercentage() : current != null ? current.rolloutPercentage() : 0;
        if (percentage < 0 || percentage > 100) {
            throw ApiException.invalid("invalid_percentage", "rolloutPercentage is from 0 to 100", "rolloutPercentage");
        }
        List<FlagChanged.Segment> segments = d.segments() == null ? List.of() : d.segments();
        for (FlagChanged.Segment s : segments) {
            if (s == null || s.attribute() == null || s.attribute().isBlank() || s.operator() == null) {
                throw ApiException.invalid("invalid_segment", "a segment needs attribute, operator (IN, NOT_IN) and values", "segments");
            }
        }
        List<String> allow = clean(d.allowList(), "allowList");
        List<String> deny = clean(d.denyList(), "denyList");
        boolean enabled = d.enabled() != null ? d.enabled() : current == null || current.enabled();
        boolean killed = current != null && current.killed();
        return new FlagChanged(key, d.description(), kind, enabled, killed, variants, off, allow, deny, segments,
                percentage, d.groupId() == null || d.groupId().isBlank() ? null : d.groupId(), version, actor, reason, now());
    }

    private static List<String> clean(List<String> accounts, String param) {
        if (accounts == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String a : accounts) {
            if (a == null || a.isBlank()) {
                throw ApiException.invalid("invalid_account_list", param + " holds account ids", param);
            }
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        if (out.size() > 10_000) {
            throw ApiException.invalid("invalid_account_list", param + " holds at most 10000 accounts; use a segment", param);
        }
        return out;
    }

    private static SloRules rules(SloRules given, SloRules fallback) {
        if (given == null) {
            return fallback;
        }
        if (given.maxErrorRate() <= 0 || given.maxErrorRate() > 1) {
            throw ApiException.invalid("invalid_rules", "maxErrorRate is above 0 and at most 1", "rules.maxErrorRate");
        }
        if (given.maxLatencyRatio() < 1 || given.maxCostRatio() < 1) {
            throw ApiException.invalid("invalid_rules", "maxLatencyRatio and maxCostRatio are at least 1", "rules");
        }
        if (given.minSamples() < 1 || given.windowSeconds() < 10) {
            throw ApiException.invalid("invalid_rules", "minSamples is at least 1 and windowSeconds at least 10", "rules");
        }
        return given;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ApiException notFound(String key) {
        return ApiException.notFound("flag_not_found", "no flag " + key);
    }
}

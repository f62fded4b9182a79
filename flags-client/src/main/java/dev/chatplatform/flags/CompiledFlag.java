package dev.chatplatform.flags;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.FlagChanged.Segment;
import dev.chatplatform.contracts.rollout.FlagChanged.Variant;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A flag's state ({@link FlagChanged}, as published on {@code flags.v1}) prepared for fast, allocation-light
 * evaluation: lists turned into sets, the group id and total weight worked out once. Immutable, thread-safe.
 */
public final class CompiledFlag {

    private final FlagChanged state;
    private final String groupId;
    private final Set<String> allow;
    private final Set<String> deny;
    private final List<CompiledSegment> segments;
    private final List<Variant> variants;
    private final int totalWeight;

    public CompiledFlag(FlagChanged state) {
        this.state = state;
        this.groupId = state.groupId() == null || state.groupId().isBlank() ? state.key() : state.groupId();
        this.allow = Set.copyOf(state.allowList());
        this.deny = Set.copyOf(state.denyList());
        this.segments = state.segments().stream().map(CompiledSegment::new).toList();
        this.variants = state.variants().stream().filter(v -> v.weight() > 0).toList();
        this.totalWeight = variants.stream().mapToInt(Variant::weight).sum();
    }

    public FlagChanged state() {
        return state;
    }

    public String key() {
        return state.key();
    }

    public long version() {
        return state.version();
    }

    /** Evaluates the flag for {@code context}; see {@link FlagChanged} for the order of the rules. */
    public Evaluation evaluate(FlagContext context, Overrides overrides) {
        if (overrides.isKilled(state.key())) {
            return off(EvaluationReason.ENV_KILLED);
        }
        if (state.killed()) {
            return off(EvaluationReason.KILLED);
        }
        if (!state.enabled() || variants.isEmpty()) {
            return off(EvaluationReason.DISABLED);
        }
        String account = context.accountId();
        if (account != null) {
            if (deny.contains(account)) {
                return off(EvaluationReason.DENY_LISTED);
            }
            if (allow.contains(account)) {
                return on(context.stickyValue(), EvaluationReason.ALLOW_LISTED);
            }
        }
        for (CompiledSegment segment : segments) {
            if (!segment.matches(context.attributes())) {
                return off(EvaluationReason.SEGMENT_MISMATCH);
            }
        }
        int percentage = overrides.percentage(state.key()).orElse(state.rolloutPercentage());
        if (percentage <= 0) {
            return off(EvaluationReason.OUT_OF_ROLLOUT);
        }
        String sticky = context.stickyValue();
        int bucket = sticky == null ? ThreadLocalRandom.current().nextInt(1, 101) : Bucketing.rolloutBucket(sticky, groupId);
        return bucket <= percentage ? on(sticky, EvaluationReason.IN_ROLLOUT) : off(EvaluationReason.OUT_OF_ROLLOUT);
    }

    private Evaluation off(EvaluationReason reason) {
        return new Evaluation(state.key(), state.offVariant(), false, reason, state.version());
    }

    private Evaluation on(String sticky, EvaluationReason reason) {
        return new Evaluation(state.key(), variantFor(sticky), true, reason, state.version());
    }

    /** Unleash's weighted variant choice: the first variant whose cumulative weight reaches the caller's number. */
    private String variantFor(String sticky) {
        if (variants.size() == 1) {
            return variants.getFirst().name();
        }
        int target = sticky == null ? ThreadLocalRandom.current().nextInt(1, totalWeight + 1)
                : Bucketing.normalizedNumber(sticky, groupId, totalWeight, Bucketing.VARIANT_SEED);
        int cumulative = 0;
        for (Variant v : variants) {
            cumulative += v.weight();
            if (cumulative >= target) {
                return v.name();
            }
        }
        return variants.getLast().name();
    }

    private record CompiledSegment(String attribute, boolean in, Set<String> values) {
        CompiledSegment(Segment s) {
            this(s.attribute(), s.operator() == Segment.Operator.IN, Set.copyOf(s.values()));
        }

        boolean matches(Map<String, String> attributes) {
            String value = attributes.get(attribute);
            boolean contained = value != null && values.contains(value);
            return in == contained;
        }
    }
}

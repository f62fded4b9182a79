package dev.chatplatform.contracts.rollout;

import dev.chatplatform.contracts.event.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The full state of a feature flag, published on every change to the compacted {@code flags.v1} (key = flag
 * key). It is everything a client needs to evaluate the flag locally (flags-client). Consumers keep the
 * highest {@code version} per key; an older version never overwrites a newer one.
 *
 * <p>Evaluation order: {@code killed} or not {@code enabled} → {@code offVariant} for everyone; deny-listed →
 * off; allow-listed → on; every segment must match, then the sticky percentage decides (Unleash-compatible
 * bucketing over {@code groupId + ":" + stickyValue}); included callers get a weighted variant.
 *
 * @param key               the flag key (the record key): lower case, digits, '.', '_' and '-'
 * @param description       what the flag is for
 * @param kind              boolean (variant {@code on} or the off variant) or multi-variant (weighted variants)
 * @param enabled           false serves {@code offVariant} to everyone
 * @param killed            true after an admin kill or an automatic rollback: {@code offVariant} for everyone
 * @param variants          the variants served to included callers, with integer weights (boolean flags: {@code on})
 * @param offVariant        the safe state (and the control group): served to everyone not included
 * @param allowList         account ids always included (e.g. test accounts), whatever the percentage or segments
 * @param denyList          account ids never included; wins over the allow-list
 * @param segments          attribute conditions (tier, size, any custom attribute) that must all match
 * @param rolloutPercentage 0 to 100: the share of matching callers included
 * @param groupId           the bucketing group; null means the flag key (Unleash's default)
 * @param version           increases by one with every change
 * @param changedBy         the account (or {@code rollout-guard} for automatic decisions) that made the change
 * @param reason            why the change was made
 * @param changedAt         when this version was written
 */
public record FlagChanged(
        String key,
        String description,
        Kind kind,
        boolean enabled,
        boolean killed,
        List<Variant> variants,
        String offVariant,
        List<String> allowList,
        List<String> denyList,
        List<Segment> segments,
        int rolloutPercentage,
        String groupId,
        long version,
        String changedBy,
        String reason,
        Instant changedAt) {

    public static final EventType<FlagChanged> TYPE =
            new EventType<>("flag.changed.v1", Topics.FLAGS, FlagChanged.class);

    public FlagChanged {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(offVariant, "offVariant");
        Objects.requireNonNull(changedAt, "changedAt");
        variants = variants == null ? List.of() : List.copyOf(variants);
        allowList = allowList == null ? List.of() : List.copyOf(allowList);
        denyList = denyList == null ? List.of() : List.copyOf(denyList);
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    public enum Kind {
        BOOLEAN,
        MULTIVARIANT
    }

    /**
     * @param name   the variant name reported to callers and tagged on events
     * @param weight relative weight among the variants (Unleash uses weights summing to 1000)
     */
    public record Variant(String name, int weight) {
        public Variant {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A condition over one attribute of the evaluation context ({@code tier}, {@code size}, any custom one).
     *
     * @param attribute the context attribute
     * @param operator  IN: the attribute is one of {@code values}; NOT_IN: it is absent or none of them
     * @param values    the values compared with
     */
    public record Segment(String attribute, Operator operator, List<String> values) {
        public Segment {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(operator, "operator");
            values = values == null ? List.of() : List.copyOf(values);
        }

        public enum Operator {
            IN,
            NOT_IN
        }
    }
}

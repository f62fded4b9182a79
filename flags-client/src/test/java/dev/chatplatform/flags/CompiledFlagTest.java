package dev.chatplatform.flags;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.FlagChanged.Kind;
import dev.chatplatform.contracts.rollout.FlagChanged.Segment;
import dev.chatplatform.contracts.rollout.FlagChanged.Variant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CompiledFlagTest {

    static FlagChanged flag(String key, boolean enabled, boolean killed, int percentage, List<String> allow,
                            List<String> deny, List<Segment> segments) {
        return new FlagChanged(key, "test", Kind.BOOLEAN, enabled, killed, List.of(new Variant("on", 1)), "off",
                allow, deny, segments, percentage, null, 1, "admin", "test", Instant.parse("2026-01-01T00:00:00Z"));
    }

    static FlagChanged simple(String key, int percentage) {
        return flag(key, true, false, percentage, List.of(), List.of(), List.of());
    }

    @Test
    void bucketsWithTheFlagKeyAsGroupIdAndTheAccountAsStickiness() {
        CompiledFlag f = new CompiledFlag(simple("gr1", 73));
        assertThat(f.evaluate(FlagContext.ofAccount("123"), Overrides.NONE).on()).isTrue();
        assertThat(new CompiledFlag(simple("gr1", 72)).evaluate(FlagContext.ofAccount("123"), Overrides.NONE))
                .extracting(Evaluation::on, Evaluation::variant, Evaluation::reason)
                .containsExactly(false, "off", EvaluationReason.OUT_OF_ROLLOUT);
    }

    @Test
    void anExplicitGroupIdIsUsedForBucketing() {
        FlagChanged base = simple("some-flag", 50);
        FlagChanged grouped = new FlagChanged(base.key(), null, Kind.BOOLEAN, true, false, base.variants(), "off",
                null, null, null, 50, "AB12A", 1, null, null, base.changedAt());
        assertThat(new CompiledFlag(grouped).evaluate(FlagContext.ofAccount("122"), Overrides.NONE).on()).isTrue();
        assertThat(new CompiledFlag(grouped).evaluate(FlagContext.ofAccount("155"), Overrides.NONE).on()).isFalse();
    }

    @Test
    void sessionIdIsTheStickinessWithoutAnAccountAndRandomWithNeither() {
        CompiledFlag f = new CompiledFlag(simple("gr1", 73));
        assertThat(f.evaluate(new FlagContext(null, "123", Map.of()), Overrides.NONE).on()).isTrue();
        CompiledFlag half = new CompiledFlag(simple("random-flag", 50));
        long on = IntStream.range(0, 4_000).filter(i -> half.evaluate(new FlagContext(null, null, Map.of()), Overrides.NONE).on()).count();
        assertThat(on / 4_000.0).isCloseTo(0.5, within(0.05));
    }

    @Test
    void denyListWinsOverAllowListWhichWinsOverSegmentsAndPercentage() {
        Segment proOnly = new Segment("tier", Segment.Operator.IN, List.of("pro"));
        CompiledFlag f = new CompiledFlag(flag("f", true, false, 0, List.of("tester", "both"), List.of("both"), List.of(proOnly)));
        assertThat(f.evaluate(new FlagContext("tester", null, Map.of("tier", "free")), Overrides.NONE).reason())
                .isEqualTo(EvaluationReason.ALLOW_LISTED);
        assertThat(f.evaluate(FlagContext.ofAccount("both"), Overrides.NONE).reason()).isEqualTo(EvaluationReason.DENY_LISTED);
        assertThat(f.evaluate(new FlagContext("other", null, Map.of("tier", "pro")), Overrides.NONE).reason())
                .isEqualTo(EvaluationReason.OUT_OF_ROLLOUT);
    }

    @Test
    void everySegmentMustMatch() {
        List<Segment> segments = List.of(new Segment("tier", Segment.Operator.IN, List.of("pro", "enterprise")),
                new Segment("size", Segment.Operator.NOT_IN, List.of("large")),
                new Segment("region", Segment.Operator.IN, List.of("eu")));
        CompiledFlag f = new CompiledFlag(flag("seg", true, false, 100, List.of(), List.of(), segments));
        assertThat(f.evaluate(ctx("a", "tier", "pro", "size", "small", "region", "eu"), Overrides.NONE).on()).isTrue();
        assertThat(f.evaluate(ctx("a", "tier", "pro", "region", "eu"), Overrides.NONE).on()).isTrue();
        assertThat(f.evaluate(ctx("a", "tier", "free", "region", "eu"), Overrides.NONE).reason()).isEqualTo(EvaluationReason.SEGMENT_MISMATCH);
        assertThat(f.evaluate(ctx("a", "tier", "pro", "size", "large", "region", "eu"), Overrides.NONE).on()).isFalse();
        assertThat(f.evaluate(ctx("a", "tier", "pro"), Overrides.NONE).on()).isFalse();
    }

    @Test
    void weightedVariantsSplitIncludedCallersByWeightAndStick() {
        FlagChanged multi = new FlagChanged("routing", null, Kind.MULTIVARIANT, true, false,
                List.of(new Variant("fallback-v2", 750), new Variant("auto", 250)), "legacy",
                null, null, null, 100, null, 1, null, null, Instant.now());
        CompiledFlag f = new CompiledFlag(multi);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            Evaluation e = f.evaluate(FlagContext.ofAccount("acc-" + i), Overrides.NONE);
            counts.merge(e.variant(), 1, Integer::sum);
            assertThat(f.evaluate(FlagContext.ofAccount("acc-" + i), Overrides.NONE).variant()).isEqualTo(e.variant());
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("fallback-v2", "auto");
        assertThat(counts.get("fallback-v2") / 10_000.0).isCloseTo(0.75, within(0.02));
        // Unleash's variant choice: normalizedNumber(acc, group, totalWeight, VARIANT_SEED) against cumulative weights
        int target = Bucketing.normalizedNumber("acc-1", "routing", 1000, Bucketing.VARIANT_SEED);
        assertThat(f.evaluate(FlagContext.ofAccount("acc-1"), Overrides.NONE).variant())
                .isEqualTo(target <= 750 ? "fallback-v2" : "auto");
    }

    @Test
    void killSwitchPrecedence() {
        CompiledFlag full = new CompiledFlag(flag("hybrid-routing", true, false, 100, List.of("tester"), List.of(), List.of()));
        CompiledFlag killed = new CompiledFlag(flag("hybrid-routing", true, true, 100, List.of("tester"), List.of(), List.of()));
        Overrides envKill = Overrides.from(Map.of("ROLLOUT_KILL", "other, hybrid-routing"));
        Overrides envZero = Overrides.from(Map.of("ROLLOUT_PERCENT_HYBRID_ROUTING", "0"));
        Overrides envFull = Overrides.from(Map.of("ROLLOUT_PERCENT_HYBRID_ROUTING", "100"));

        // the environment kill wins over everything stored, allow-list included
        assertThat(full.evaluate(FlagContext.ofAccount("tester"), envKill).reason()).isEqualTo(EvaluationReason.ENV_KILLED);
        // a stored kill wins over the allow-list and over an environment percentage
        assertThat(killed.evaluate(FlagContext.ofAccount("tester"), envFull).reason()).isEqualTo(EvaluationReason.KILLED);
        // the environment percentage replaces the stored one
        assertThat(full.evaluate(FlagContext.ofAccount("acc-1"), envZero).on()).isFalse();
        CompiledFlag none = new CompiledFlag(simple("hybrid-routing", 0));
        assertThat(none.evaluate(FlagContext.ofAccount("acc-1"), envFull).on()).isTrue();
        // the allow-list still includes its test accounts under a percentage override
        assertThat(full.evaluate(FlagContext.ofAccount("tester"), envZero).reason()).isEqualTo(EvaluationReason.ALLOW_LISTED);
    }

    @Test
    void disabledFlagsServeTheirOffVariant() {
        CompiledFlag f = new CompiledFlag(flag("f", false, false, 100, List.of("tester"), List.of(), List.of()));
        assertThat(f.evaluate(FlagContext.ofAccount("tester"), Overrides.NONE))
                .extracting(Evaluation::variant, Evaluation::reason).containsExactly("off", EvaluationReason.DISABLED);
    }

    @Test
    void overridesParseTheEnvironment() {
        Overrides o = Overrides.from(Map.of("ROLLOUT_KILL", " a ,b,,", "ROLLOUT_PERCENT_HYBRID_ROUTING", "10",
                "ROLLOUT_PERCENT_BAD", "ten", "ROLLOUT_PERCENT_TOO_MUCH", "101", "PATH", "/bin"));
        assertThat(o.killedFlags()).containsExactlyInAnyOrder("a", "b");
        assertThat(o.percentage("hybrid-routing")).hasValue(10);
        assertThat(o.percentage("hybrid.routing")).hasValue(10);
        assertThat(o.percentage("bad")).isEmpty();
        assertThat(o.percentage("too-much")).isEmpty();
        assertThat(Overrides.upperSnake("new.fallback-chain_v2")).isEqualTo("NEW_FALLBACK_CHAIN_V2");
    }

    @Test
    void theStoreNeverGoesBackToAnOlderVersion() {
        FlagStore store = new FlagStore();
        FlagChanged v2 = flag("f", true, false, 100, List.of(), List.of(), List.of());
        FlagChanged v2b = new FlagChanged("f", null, Kind.BOOLEAN, true, false, v2.variants(), "off", null, null, null,
                100, null, 2, null, null, Instant.now());
        FlagChanged v1 = new FlagChanged("f", null, Kind.BOOLEAN, false, false, v2.variants(), "off", null, null, null,
                0, null, 1, null, null, Instant.now());
        assertThat(store.apply(v2b)).isTrue();
        assertThat(store.apply(v1)).isFalse();
        assertThat(store.evaluate("f", FlagContext.ofAccount("x"), Overrides.NONE).on()).isTrue();
        assertThat(store.evaluate("missing", FlagContext.ofAccount("x"), Overrides.NONE).reason())
                .isEqualTo(EvaluationReason.FLAG_NOT_FOUND);
    }

    private static FlagContext ctx(String account, String... kv) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            attributes.put(kv[i], kv[i + 1]);
        }
        return new FlagContext(account, null, attributes);
    }
}

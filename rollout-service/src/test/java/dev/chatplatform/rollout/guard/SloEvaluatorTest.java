package dev.chatplatform.rollout.guard;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.rollout.flag.SloRules;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SloEvaluatorTest {

    static final FlagChanged FLAG = new FlagChanged("f", null, FlagChanged.Kind.BOOLEAN, true, false,
            List.of(new FlagChanged.Variant("on", 1)), "off", null, null, null, 50, null, 1, null, null, Instant.now());
    static final SloRules RULES = new SloRules(true, 0.05, 1.5, null, 1.5, null, 50, 900);

    static VariantStats stats(String variant, long n, double errors, double p95, double cost) {
        return new VariantStats("llm-calls.v1", variant, n, errors, p95 / 2, p95, cost);
    }

    @Test
    void noDataIsInconclusiveNeverHealthy() {
        assertThat(SloEvaluator.evaluate(FLAG, RULES, List.of()).status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(SloEvaluator.evaluate(FLAG, RULES, List.of(stats("off", 500, 0, 100, 10))).status())
                .isEqualTo(Verdict.Status.INCONCLUSIVE);
    }

    @Test
    void tooFewSamplesNeverBreachEvenWhenEveryCallFailed() {
        Verdict v = SloEvaluator.evaluate(FLAG, RULES, List.of(stats("on", 49, 1.0, 9_000, 500), stats("off", 500, 0, 100, 10)));
        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        assertThat(v.evidence()).allSatisfy(e -> assertThat(e.verdict()).isEqualTo("INCONCLUSIVE"));
    }

    @Test
    void errorRateAboveFivePercentAndAboveTheControlBreaches() {
        Verdict v = SloEvaluator.evaluate(FLAG, RULES, List.of(stats("on", 100, 0.2, 100, 10), stats("off", 500, 0.01, 100, 10)));
        assertThat(v.status()).isEqualTo(Verdict.Status.BREACH);
        assertThat(v.evidence()).anySatisfy(e -> {
            assertThat(e.rule()).isEqualTo("error_rate");
            assertThat(e.verdict()).isEqualTo("BREACH");
            assertThat(e.variantValue()).isEqualTo(0.2);
            assertThat(e.controlValue()).isEqualTo(0.01);
        });
    }

    @Test
    void anErrorRateTheControlSharesIsNotTheVariantsFault() {
        Verdict v = SloEvaluator.evaluate(FLAG, RULES, List.of(stats("on", 100, 0.2, 100, 10), stats("off", 500, 0.3, 100, 10)));
        assertThat(v.status()).isEqualTo(Verdict.Status.HEALTHY);
    }

    @Test
    void latencyAndCostAreComparedWithTheControl() {
        assertThat(SloEvaluator.evaluate(FLAG, RULES, List.of(stats("on", 100, 0, 400, 10), stats("off", 100, 0, 200, 10))).status())
                .isEqualTo(Verdict.Status.BREACH);
        assertThat(SloEvaluator.evaluate(FLAG, RULES, List.of(stats("on", 100, 0, 200, 40), stats("off", 100, 0, 200, 20))).status())
                .isEqualTo(Verdict.Status.BREACH);
        assertThat(SloEvaluator.evaluate(FLAG, RULES, List.of(stats("on", 100, 0, 250, 25), stats("off", 100, 0, 200, 20))).status())
                .isEqualTo(Verdict.Status.HEALTHY);
    }

    @Test
    void withoutAControlGroupOnlyAbsoluteLimitsJudge() {
        Verdict v = SloEvaluator.evaluate(FLAG, RULES, List.of(stats("on", 100, 0.01, 5_000, 999)));
        assertThat(v.status()).isEqualTo(Verdict.Status.INCONCLUSIVE);
        SloRules absolute = new SloRules(true, 0.05, 1.5, 1_000L, 1.5, null, 50, 900);
        assertThat(SloEvaluator.evaluate(FLAG, absolute, List.of(stats("on", 100, 0.01, 5_000, 999))).status())
                .isEqualTo(Verdict.Status.BREACH);
    }
}

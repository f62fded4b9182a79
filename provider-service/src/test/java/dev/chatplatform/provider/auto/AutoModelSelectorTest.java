package dev.chatplatform.provider.auto;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.ModelCatalog;
import dev.chatplatform.provider.catalog.Price;
import dev.chatplatform.provider.catalog.PricedModel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class AutoModelSelectorTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final ModelCatalog catalog = mock(ModelCatalog.class);
    private final AccountTiers tiers = mock(AccountTiers.class);
    private final AutoModelSelector selector = new AutoModelSelector(catalog, tiers);

    private static final List<PricedModel> MODELS = List.of(
            priced("tiny", 8_000, 2_000, List.of("chat"), List.of(), 50_000, 80_000),
            priced("small", 128_000, 16_000, List.of("chat", "tools"), List.of(), 150_000, 600_000),
            priced("coder", 128_000, 16_000, List.of("chat", "tools", "code"), List.of(), 400_000, 1_600_000),
            priced("thinker", 200_000, 64_000, List.of("chat", "tools", "code", "reasoning"), List.of(), 3_000_000, 15_000_000),
            priced("premium-cheap", 200_000, 64_000, List.of("chat", "tools", "code", "reasoning"), List.of("pro"), 10, 10));

    AutoModelSelectorTest() {
        when(catalog.available(any())).thenReturn(MODELS.stream().map(PricedModel::model).toList());
        when(catalog.priced(anyString(), any())).thenAnswer(inv -> MODELS.stream()
                .filter(p -> p.model().id().equals(inv.getArgument(0))).findFirst().orElseThrow());
        when(tiers.tierOf(anyString())).thenReturn("free");
    }

    @Test
    void cheapestAllowedModelThatFits() {
        AutoSelection s = selector.choose(new AutoRequest(100, null, false, List.of("Hello")), "a", NOW);
        assertThat(s.model()).isEqualTo("tiny");
        assertThat(s.reason()).isEqualTo("cheapest of 4 models allowed for tier free that fit 100+1024 tokens");
    }

    @Test
    void aPromptTooLargeForTheCheapestContextWindowGoesToTheNextOne() {
        assertThat(selector.choose(new AutoRequest(7_500, null, false, List.of("...")), "a", NOW).model()).isEqualTo("small");
        assertThat(selector.choose(new AutoRequest(100, 4_000, false, List.of("...")), "a", NOW).model())
                .as("max_tokens above tiny's max output").isEqualTo("small");
        assertThat(selector.choose(new AutoRequest(150_000, null, false, List.of("...")), "a", NOW).model()).isEqualTo("thinker");
    }

    @Test
    void signalsPreferModelsWithTheMatchingCapabilities() {
        assertThat(selector.choose(new AutoRequest(100, null, true, List.of("weather?")), "a", NOW).model()).isEqualTo("small");
        AutoSelection code = selector.choose(new AutoRequest(100, null, false, List.of("fix:\n```py\nprint(1\n```")), "a", NOW);
        assertThat(code.model()).isEqualTo("coder");
        assertThat(code.reason()).endsWith("; signals code: all matched");
        AutoSelection reasoning = selector.choose(new AutoRequest(100, null, false,
                List.of("Prove step by step that the sum of two even numbers is even")), "a", NOW);
        assertThat(reasoning.model()).isEqualTo("thinker");
    }

    @Test
    void theTierDecidesWhichModelsCount() {
        when(tiers.tierOf("p")).thenReturn("pro");
        AutoSelection s = selector.choose(new AutoRequest(100, null, false, List.of("Hi")), "p", NOW);
        assertThat(s.model()).isEqualTo("premium-cheap");
        assertThat(s.reason()).contains("5 models allowed for tier pro");
    }

    @Test
    void nothingFitsIsAClearError() {
        assertThatThrownBy(() -> selector.choose(new AutoRequest(300_000, null, false, List.of("...")), "a", NOW))
                .isInstanceOf(ApiException.class).hasMessageContaining("tier 'free'");
    }

    @Test
    void signalsAreSimpleAndPredictable() {
        assertThat(RequestSignals.of(new AutoRequest(1, null, false, List.of("What is the capital of France?")))).isEmpty();
        assertThat(RequestSignals.of(new AutoRequest(1, null, false, List.of("def add(a, b):\n    return a + b"))))
                .containsExactly("code");
        assertThat(RequestSignals.of(new AutoRequest(1, null, true, List.of("Think through the trade-offs"))))
                .containsExactly("tools", "reasoning");
    }

    private static PricedModel priced(String id, int context, int maxOutput, List<String> capabilities, List<String> tiers,
                                      long in, long out) {
        Model m = new Model(id, "p", id, context, maxOutput, capabilities, List.of(), tiers, List.of(), true, NOW);
        return new PricedModel(m, new Price(id, NOW, in, out, in));
    }
}

package dev.chatplatform.provider.simulated;

import dev.chatplatform.provider.upstream.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulatedEmbeddingProviderTest {

    private final SimulatedEmbeddingProvider provider = new SimulatedEmbeddingProvider(new Tokenizer());

    @Test
    void theSameTextAlwaysGivesTheSameUnitVectorOfTheSizeAskedFor() {
        float[] first = provider.embed("sim-embed-1", List.of("The quick brown fox"), 256).vectors().getFirst();
        float[] second = new SimulatedEmbeddingProvider(new Tokenizer())
                .embed("sim-embed-1", List.of("The quick brown fox"), 256).vectors().getFirst();

        assertThat(first).hasSize(256).containsExactly(second);
        assertThat(norm(first)).isCloseTo(1.0, within(1e-5));
        assertThat(provider.embed("sim-embed-1", List.of("x"), null).vectors().getFirst())
                .hasSize(SimulatedEmbeddingProvider.OWN_DIMENSIONS);
    }

    @Test
    void textsSharingWordsAreCloserThanUnrelatedOnes() {
        List<float[]> v = provider.embed("sim-embed-1", List.of("the cat sat on the mat", "a cat on a mat",
                "quarterly revenue grew nine percent"), 512).vectors();

        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.3);
    }

    @Test
    void countsTheInputTokensExactly() {
        var result = provider.embed("sim-embed-1", List.of("hello world", "bye"), 8);

        assertThat(result.promptTokens()).isEqualTo(3);
        assertThat(result.estimated()).isFalse();
    }

    private static double norm(float[] v) {
        return Math.sqrt(cosine(v, v));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}

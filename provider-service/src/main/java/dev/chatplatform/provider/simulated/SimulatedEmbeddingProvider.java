package dev.chatplatform.provider.simulated;

import dev.chatplatform.provider.embedding.EmbeddingProvider;
import dev.chatplatform.provider.upstream.Tokenizer;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The simulated embedding model, for local use without a provider: the same model and text always give the same
 * vector, of unit length, of the size asked for ({@link #OWN_DIMENSIONS} by default, as in the catalog). The vector
 * is a sum of one pseudo-random direction per word (seeded by a hash of the model and the lower-cased word), so
 * texts sharing words point in similar directions and a local retrieval demo behaves plausibly; a smaller size is
 * the larger vector's first values normalised again, as OpenAI's {@code text-embedding-3} models shorten theirs.
 * Token counts come from the platform's tokenizer and are exact for this model.
 */
@Component
class SimulatedEmbeddingProvider implements EmbeddingProvider {

    /** The size of sim-embed-1's vectors when {@code dimensions} is not given. */
    static final int OWN_DIMENSIONS = 1536;
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final Tokenizer tokenizer;

    SimulatedEmbeddingProvider(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public String name() {
        return SimulatedProvider.NAME;
    }

    @Override
    public Embeddings embed(String upstreamModel, List<String> inputs, Integer dimensions) {
        int size = dimensions == null ? OWN_DIMENSIONS : dimensions;
        List<float[]> vectors = new ArrayList<>(inputs.size());
        int tokens = 0;
        for (String input : inputs) {
            vectors.add(vector(upstreamModel, input, size));
            tokens += tokenizer.count(input);
        }
        return new Embeddings(vectors, tokens, false);
    }

    static float[] vector(String model, String text, int size) {
        List<String> words = Arrays.stream(NOT_WORD.split(text.toLowerCase(Locale.ROOT))).filter(w -> !w.isEmpty())
                .toList();
        double[] sum = new double[size];
        for (String word : words.isEmpty() ? List.of(text) : words) {
            SplittableRandom random = new SplittableRandom(seed(model, word));
            for (int i = 0; i < size; i++) {
                sum[i] += random.nextGaussian();
            }
        }
        double norm = Math.sqrt(Arrays.stream(sum).map(v -> v * v).sum());
        float[] vector = new float[size];
        for (int i = 0; i < size; i++) {
            vector[i] = (float) (sum[i] / norm);
        }
        return vector;
    }

    private static long seed(String model, String word) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((model + '\0' + word).getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                seed = (seed << 8) | (hash[i] & 0xff);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

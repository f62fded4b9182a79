package dev.chatplatform.provider.embedding;

import java.util.List;

/**
 * A source of embeddings (the simulated model, OpenAI, Gemini, an OpenAI-compatible server). Implementations are
 * Spring beans; a catalog model names the one that serves it by {@link #name()}, the same name as its chat provider.
 */
public interface EmbeddingProvider {

    /** The provider name models are registered under in the catalog, e.g. "simulated". */
    String name();

    /**
     * One vector per input, in the inputs' order.
     *
     * @param dimensions the vector size asked for, or null for the model's own
     * @throws dev.chatplatform.provider.upstream.UpstreamException when the provider refuses or cannot be reached
     */
    Embeddings embed(String upstreamModel, List<String> inputs, Integer dimensions);

    /** An SDK's boxed vector as the primitive array {@link Embeddings} holds. */
    static float[] floats(List<Float> values) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }

    /**
     * @param vectors      one per input, in order
     * @param promptTokens the input tokens the provider reported (or the platform counted: {@code estimated})
     */
    record Embeddings(List<float[]> vectors, int promptTokens, boolean estimated) {
        public Embeddings {
            vectors = List.copyOf(vectors);
        }
    }
}

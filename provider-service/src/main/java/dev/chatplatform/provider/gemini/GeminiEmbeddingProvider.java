package dev.chatplatform.provider.gemini;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import dev.chatplatform.provider.embedding.EmbeddingProvider;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.UpstreamException;

import java.util.List;

/**
 * Speaks Gemini's {@code models/{model}:batchEmbedContents} through Google's Gen AI SDK, one content per input,
 * with {@code outputDimensionality} when the caller gave {@code dimensions}. The Gemini API reports no token
 * counts for embeddings, so the inputs are counted with the platform's tokenizer and the usage is marked estimated.
 */
class GeminiEmbeddingProvider implements EmbeddingProvider {

    private final Client client;
    private final Tokenizer tokenizer;

    GeminiEmbeddingProvider(Client client, Tokenizer tokenizer) {
        this.client = client;
        this.tokenizer = tokenizer;
    }

    @Override
    public String name() {
        return GeminiChatProvider.NAME;
    }

    @Override
    public Embeddings embed(String upstreamModel, List<String> inputs, Integer dimensions) {
        EmbedContentConfig.Builder config = EmbedContentConfig.builder();
        if (dimensions != null) {
            config.outputDimensionality(dimensions);
        }
        try {
            EmbedContentResponse response = client.models.embedContent(upstreamModel, inputs, config.build());
            List<float[]> vectors = response.embeddings().orElse(List.of()).stream()
                    .map(e -> EmbeddingProvider.floats(e.values().orElse(List.of()))).toList();
            return new Embeddings(vectors, inputs.stream().mapToInt(tokenizer::count).sum(), true);
        } catch (ApiException e) {
            throw new UpstreamException(GeminiChatProvider.NAME, e.code(), null, UpstreamException.classify(e.code()),
                    "gemini answered " + e.code() + ": " + e.message(), e);
        } catch (GenAiIOException e) {
            throw new UpstreamException(GeminiChatProvider.NAME, 0, null, "connection",
                    "gemini could not be reached: " + e.getMessage(), e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new UpstreamException(GeminiChatProvider.NAME, 0, null, "malformed_response",
                    "gemini sent an unreadable answer: " + e.getMessage(), e);
        }
    }
}

package dev.chatplatform.provider.openai;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.chatplatform.provider.embedding.EmbeddingProvider;
import dev.chatplatform.provider.upstream.UpstreamException;

import java.util.Comparator;
import java.util.List;

/**
 * Speaks OpenAI's {@code POST /embeddings} through the official SDK, for OpenAI and OpenAI-compatible servers
 * (Ollama, vLLM...). Vectors are asked for as floats; {@code dimensions} is sent only when the caller gave it
 * (servers that cannot shorten vectors refuse it). The answer's {@code index} orders the vectors.
 */
class OpenAiEmbeddingProvider implements EmbeddingProvider {

    private final String name;
    private final OpenAIClient client;

    OpenAiEmbeddingProvider(String name, OpenAIClient client) {
        this.name = name;
        this.client = client;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Embeddings embed(String upstreamModel, List<String> inputs, Integer dimensions) {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder()
                .model(upstreamModel)
                .inputOfArrayOfStrings(inputs)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT);
        if (dimensions != null) {
            params.dimensions(dimensions);
        }
        try {
            CreateEmbeddingResponse response = client.embeddings().create(params.build());
            List<float[]> vectors = response.data().stream().sorted(Comparator.comparingLong(Embedding::index))
                    .map(e -> EmbeddingProvider.floats(e.embedding())).toList();
            return new Embeddings(vectors, Math.toIntExact(response.usage().promptTokens()), false);
        } catch (OpenAIException e) {
            throw OpenAiErrors.upstream(name, e);
        }
    }
}

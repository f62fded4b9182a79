package dev.chatplatform.provider.embedding;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.openai.EmbeddingsRequest;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.provider.catalog.Deployment;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.ModelCatalog;
import dev.chatplatform.provider.catalog.ModelKind;
import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.upstream.UpstreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Serves one embeddings request: an embedding model with a price in force (a chat model is a 400 naming
 * {@code model}), {@code dimensions} no larger than the model's own vectors, then its deployments in order until one
 * answers (a failure that may succeed elsewhere moves on to the next; a refusal ends the request). Every upstream
 * attempt is published on {@code llm-calls.v1} like a chat call's, so analytics sees embeddings calls and
 * usage-service can bill from the record when chat-service never sends the usage event. Embeddings are priced on
 * input tokens only.
 */
@Service
class EmbeddingService {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingService.class);

    private final ModelCatalog catalog;
    private final Map<String, EmbeddingProvider> providers;
    private final Outbox outbox;

    EmbeddingService(ModelCatalog catalog, List<EmbeddingProvider> providers, Outbox outbox) {
        this.catalog = catalog;
        this.providers = providers.stream().collect(Collectors.toUnmodifiableMap(EmbeddingProvider::name,
                Function.identity()));
        this.outbox = outbox;
    }

    EmbeddingsResponse embed(EmbeddingsRequest request, CallerIdentity caller) {
        Instant now = Instant.now();
        PricedModel priced = catalog.priced(request.model(), now);
        Model model = priced.model();
        if (model.kind() != ModelKind.EMBEDDING) {
            throw ApiException.invalid("model_not_embedding", "The model '" + request.model() + "' is a chat model;"
                    + " /v1/embeddings needs an embedding model (kind 'embedding' in /v1/models).", "model");
        }
        if (request.dimensions() != null && request.dimensions() > model.maxOutputTokens()) {
            throw ApiException.invalid("invalid_value", "'dimensions' is " + request.dimensions() + " but the model '"
                    + model.id() + "' makes vectors of at most " + model.maxOutputTokens() + ".", "dimensions");
        }
        List<Deployment> deployments = catalog.deployments(model).stream()
                .filter(d -> providers.containsKey(d.provider())).toList();
        if (deployments.isEmpty()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error", "provider_unavailable",
                    "No provider serving '" + model.id() + "' is configured.", null);
        }
        String requestId = MDC.get(RequestIds.MDC_KEY) != null ? MDC.get(RequestIds.MDC_KEY) : RequestIds.mint();
        UpstreamException last = null;
        for (int i = 0; i < deployments.size(); i++) {
            Deployment deployment = deployments.get(i);
            long started = System.nanoTime();
            try {
                EmbeddingProvider.Embeddings result = providers.get(deployment.provider())
                        .embed(deployment.upstreamModel(), request.inputs(), request.dimensions());
                if (result.vectors().size() != request.inputs().size()) {
                    throw new UpstreamException(deployment.provider(), 0, null, "malformed_response",
                            deployment.provider() + " answered " + result.vectors().size() + " vectors for "
                                    + request.inputs().size() + " inputs", null);
                }
                long cost = priced.price().costMicroUsd(result.promptTokens(), 0, 0);
                record(requestId, caller, i + 1, deployment, model, LlmCallRecorded.Outcome.SUCCESS, null, started,
                        result, cost);
                return response(request, deployment, result, cost);
            } catch (UpstreamException e) {
                last = e;
                boolean next = e.retryable() && i + 1 < deployments.size();
                log.warn("embeddings call to {} for {} failed ({}){}", deployment.provider(), model.id(), e.getMessage(),
                        next ? "; trying the next deployment" : "");
                record(requestId, caller, i + 1, deployment, model, next ? LlmCallRecorded.Outcome.FALLBACK
                        : LlmCallRecorded.Outcome.ERROR, e.errorClass(), started, null, 0);
                if (!next) {
                    break;
                }
            }
        }
        throw last.toApiException("'" + model.id() + "'");
    }

    private static EmbeddingsResponse response(EmbeddingsRequest request, Deployment deployment,
                                               EmbeddingProvider.Embeddings result, long cost) {
        List<EmbeddingsResponse.Item> items = new ArrayList<>(result.vectors().size());
        for (int i = 0; i < result.vectors().size(); i++) {
            float[] vector = result.vectors().get(i);
            items.add(new EmbeddingsResponse.Item("embedding", i,
                    request.encodingFormat() == EmbeddingsRequest.EncodingFormat.BASE64 ? base64(vector) : vector));
        }
        return new EmbeddingsResponse("list", items, request.model(),
                new EmbeddingsResponse.Usage(result.promptTokens(), result.promptTokens()),
                new EmbeddingsResponse.Platform(deployment.provider(), cost, result.estimated()));
    }

    /** OpenAI's base64 encoding: the vector's float32 values, little-endian, one after the other. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private void record(String requestId, CallerIdentity caller, int attempt, Deployment deployment, Model model,
                        LlmCallRecorded.Outcome outcome, String errorClass, long startedNanos,
                        EmbeddingProvider.Embeddings result, long cost) {
        long input = result == null ? 0 : result.promptTokens();
        var event = new LlmCallRecorded(requestId, caller.accountId(), attempt, deployment.provider(), model.id(),
                deployment.upstreamModel(), outcome, errorClass,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), null, input, 0, 0, cost,
                result != null && result.estimated(), Map.of(), Instant.now(), null, false);
        outbox.publishDetached(LlmCallRecorded.TYPE, requestId + ":" + attempt, caller.accountId(), caller.accountId(),
                event);
    }
}

package dev.chatplatform.chat.embedding;

import dev.chatplatform.chat.budget.BudgetGuard;
import dev.chatplatform.chat.budget.Hold;
import dev.chatplatform.chat.context.ModelFacts;
import dev.chatplatform.chat.context.ModelWindows;
import dev.chatplatform.chat.context.TokenCounter;
import dev.chatplatform.chat.provider.ProviderClient;
import dev.chatplatform.chat.provider.ProviderErrors;
import dev.chatplatform.chat.provider.ProviderUnavailableException;
import dev.chatplatform.chat.usage.UsageRecorder;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.openai.EmbeddingsRequest;
import dev.chatplatform.kit.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Runs one embeddings request the way chat completions are run ({@code ChatCompletionService}), so the governance
 * is the same: a model provider-service reports as a chat model is refused before anything is held; the hold
 * covers the input tokens (counted here with the chat path's tokenizer) and the one output token usage-service
 * insists on, at no output price; the answer's usage and cost ({@code x_platform}) become exactly one
 * {@code usage.recorded.v1} of kind {@code EMBEDDINGS}, which settles the hold, before the answer is given out. A
 * request that consumed nothing (refused, provider unreachable) releases its hold at once. When the event cannot
 * be written, an answer under a hold is still given out and usage-service bills it from provider-service's record
 * of the call when the hold expires; one without a hold (failed open) is not, as nothing would ever bill it.
 */
@Service
class EmbeddingsService {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingsService.class);
    /** usage-service's hold takes at least one output token; embeddings produce none, so it is priced at zero. */
    private static final long HELD_OUTPUT_TOKENS = 1;

    private final ProviderClient provider;
    private final UsageRecorder usage;
    private final BudgetGuard budget;
    private final ModelWindows models;
    private final TokenCounter tokens;
    private final JsonMapper json;

    EmbeddingsService(ProviderClient provider, UsageRecorder usage, BudgetGuard budget, ModelWindows models,
                      TokenCounter tokens, JsonMapper json) {
        this.provider = provider;
        this.usage = usage;
        this.budget = budget;
        this.models = models;
        this.tokens = tokens;
        this.json = json;
    }

    /** The provider's answer without {@code x_platform}, as JSON bytes. */
    byte[] embed(EmbeddingsRequest request, JsonNode body, CallerIdentity caller, String requestId, long startedNanos) {
        ModelFacts facts = models.describe(request.model(), caller, requestId);
        if (facts.kind() != null && !facts.embedding()) {
            throw ApiException.invalid("model_not_embedding", "The model '" + request.model() + "' is a chat model;"
                    + " /v1/embeddings needs an embedding model (kind 'embedding' in /v1/models).", "model");
        }
        long inputTokens = request.inputs().stream().mapToLong(tokens::count).sum();
        ModelFacts.Price price = facts.price() == null ? null
                : new ModelFacts.Price(facts.price().inputMicroUsdPerMillion(), 0);
        Hold hold = budget.hold(caller, request.model(), price, inputTokens, HELD_OUTPUT_TOKENS, false, requestId);
        boolean consumed = false; // then the hold is the usage event's to settle, or usage-service's to bill at expiry
        try {
            HttpResponse<byte[]> response;
            try {
                response = provider.embeddings(json.writeValueAsBytes(body), caller, requestId);
            } catch (ProviderUnavailableException e) {
                log.warn("provider-service unavailable: {}", e.getMessage());
                throw ProviderErrors.unavailable();
            }
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                throw ProviderErrors.rejection(json, response,
                        new String(response.body(), StandardCharsets.UTF_8));
            }
            ObjectNode answer = ProviderErrors.answer(json, response.body(), "an embeddings list");
            JsonNode platform = answer.remove("x_platform");
            UsageRecorded event = event(request, caller, requestId, startedNanos, answer.path("usage"),
                    platform == null ? MissingNode.getInstance() : platform);
            if (event.inputTokens() > 0 || event.costMicroUsd() > 0) {
                consumed = true;
                usage.recordBeforeAnswer(event, hold);
            }
            return json.writeValueAsBytes(answer);
        } finally {
            if (!consumed) {
                budget.release(hold, caller, requestId);
            }
        }
    }

    private static UsageRecorded event(EmbeddingsRequest request, CallerIdentity caller, String requestId,
                                       long startedNanos, JsonNode usage, JsonNode platform) {
        return new UsageRecorded(requestId, caller.accountId(), caller.keyId(), request.model(),
                platform.path("provider").asString("unknown"), usage.path("prompt_tokens").asLong(0), 0, 0,
                platform.path("cost_micro_usd").asLong(0), platform.path("usage_estimated").asBoolean(false),
                UsageRecorded.Outcome.COMPLETED, false,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), null, Instant.now(),
                UsageRecorded.Kind.EMBEDDINGS);
    }
}

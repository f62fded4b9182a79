package dev.chatplatform.provider.completion;

import dev.chatplatform.kit.web.ApiError;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.ModelCatalog;
import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/** Runs chat completions: checks, resolves model, price and provider, then answers whole or as a stream. */
@Service
public class CompletionService {

    private static final Logger log = LoggerFactory.getLogger(CompletionService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ModelCatalog catalog;
    private final ProviderRegistry providers;
    private final Tokenizer tokenizer;
    private final JsonMapper json;

    CompletionService(ModelCatalog catalog, ProviderRegistry providers, Tokenizer tokenizer, JsonMapper json) {
        this.catalog = catalog;
        this.providers = providers;
        this.tokenizer = tokenizer;
        this.json = json;
    }

    /**
     * Everything that can refuse a request happens here, before any byte of the answer is written, so
     * refusals are plain JSON errors even for streams.
     */
    PreparedCompletion prepare(ChatCompletionRequest request) {
        request.validate();
        Instant now = Instant.now();
        PricedModel priced = catalog.priced(request.model(), now);
        Model model = priced.model();
        ChatProvider provider = providers.find(model.provider()).orElse(null);
        if (provider == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error", "provider_unavailable",
                    "The provider '" + model.provider() + "' serving '" + model.id() + "' is not configured.", null);
        }
        List<ProviderMessage> messages = request.providerMessages();
        int maxTokens = maxTokens(request, model, tokenizer.countPrompt(messages));
        var providerRequest = new ProviderRequest(model.upstreamModel(), messages, maxTokens, request.stopSequences(),
                request.temperature(), request.topP(), request.toolDefinitions(), request.toolChoiceName());
        return new PreparedCompletion("chatcmpl-" + randomId(), now.getEpochSecond(), priced, provider, providerRequest);
    }

    ChatCompletionResponse complete(PreparedCompletion call) throws IOException {
        Generation g = call.provider().generate(call.request(), GenerationObserver.IGNORE);
        var choice = new ChatCompletionResponse.Choice(0,
                new ChatCompletionResponse.Message("assistant", g.content().isEmpty() && !g.toolCalls().isEmpty() ? null
                        : g.content(), ChatCompletionResponse.ToolCallResponse.of(g.toolCalls(), false)),
                g.finishReason(), null);
        return new ChatCompletionResponse(call.id(), "chat.completion", call.created(), call.model().model().id(),
                List.of(choice), UsageResponse.of(g.usage()), call.total(g.usage()));
    }

    /**
     * Streams the answer as SSE: a role chunk, one chunk per piece, a finish chunk, the usage chunk (always),
     * then {@code [DONE]}, each pushed to the client by {@code flusher} as soon as it is written. Stops
     * generating when the client goes away.
     */
    void stream(PreparedCompletion call, OutputStream out, Flushable flusher) {
        SseWriter sse = new SseWriter(out, flusher, json);
        String model = call.model().model().id();
        try {
            Generation g = call.provider().generate(call.request(), new GenerationObserver() {
                @Override
                public void started(TokenUsage usage) throws IOException {
                    sse.send(chunk(call, model, new ChatCompletionChunk.Delta("assistant", ""), null, usage));
                }

                @Override
                public void delta(String content, TokenUsage usageSoFar) throws IOException {
                    sse.send(chunk(call, model, new ChatCompletionChunk.Delta(null, content), null, usageSoFar));
                }
            });
            if (!g.toolCalls().isEmpty()) {
                sse.send(chunk(call, model, new ChatCompletionChunk.Delta(null, null,
                        ChatCompletionResponse.ToolCallResponse.of(g.toolCalls(), true)), null, g.usage()));
            }
            sse.send(chunk(call, model, new ChatCompletionChunk.Delta(null, null), g.finishReason(), g.usage()));
            sse.send(new ChatCompletionChunk(call.id(), "chat.completion.chunk", call.created(), model, List.of(),
                    UsageResponse.of(g.usage()), call.cumulative(g.usage())));
            sse.done();
        } catch (IOException e) {
            log.info("stream {} ended early: {}", call.id(), e.toString());
        } catch (RuntimeException e) {
            log.error("stream {} failed", call.id(), e);
            try {
                sse.send(ApiError.of("server_error", "stream_failed", "The model failed while answering.", null));
            } catch (IOException ignored) {
                // the client is gone as well
            }
        }
    }

    private static ChatCompletionChunk chunk(PreparedCompletion call, String model, ChatCompletionChunk.Delta delta,
                                             String finishReason, TokenUsage usage) {
        return new ChatCompletionChunk(call.id(), "chat.completion.chunk", call.created(), model,
                List.of(new ChatCompletionChunk.Choice(0, delta, finishReason, null)), null, call.cumulative(usage));
    }

    /** The caller's limit, checked against the model's output limit and what the context window leaves. */
    private static int maxTokens(ChatCompletionRequest request, Model model, int promptTokens) {
        int room = model.contextWindow() - promptTokens;
        if (room <= 0) {
            throw ApiException.invalid("context_length_exceeded", "The messages use " + promptTokens
                    + " tokens, more than the model's context window of " + model.contextWindow() + ".", "messages");
        }
        Integer requested = request.requestedMaxTokens();
        if (requested == null) {
            return Math.min(model.maxOutputTokens(), room);
        }
        String param = request.maxTokensParam();
        if (requested > model.maxOutputTokens()) {
            throw ApiException.invalid("invalid_value", "'" + param + "' is too large: " + requested + ". The model '"
                    + model.id() + "' supports at most " + model.maxOutputTokens() + " completion tokens.", param);
        }
        if (requested > room) {
            throw ApiException.invalid("context_length_exceeded", "The messages use " + promptTokens + " tokens and '"
                    + param + "' asks for " + requested + ", more than the context window of " + model.contextWindow()
                    + ".", param);
        }
        return requested;
    }

    private static String randomId() {
        char[] id = new char[29];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }
}

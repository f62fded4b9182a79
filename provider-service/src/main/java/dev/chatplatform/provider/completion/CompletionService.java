package dev.chatplatform.provider.completion;

import dev.chatplatform.kit.openai.ChatCompletionRequest;
import dev.chatplatform.kit.web.ApiError;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.ErrorCode;
import dev.chatplatform.provider.auto.AutoModelSelector;
import dev.chatplatform.provider.auto.AutoRequest;
import dev.chatplatform.provider.auto.AutoSelection;
import dev.chatplatform.provider.auto.AutoSelections;
import dev.chatplatform.provider.cache.CacheMode;
import dev.chatplatform.provider.cache.CachedAnswer;
import dev.chatplatform.provider.cache.ResponseCache;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.ModelCatalog;
import dev.chatplatform.provider.catalog.ModelKind;
import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.provider.routing.CallContext;
import dev.chatplatform.provider.routing.RouteTarget;
import dev.chatplatform.provider.routing.RoutePlanner;
import dev.chatplatform.provider.routing.Routed;
import dev.chatplatform.provider.routing.RoutedObserver;
import dev.chatplatform.provider.routing.Router;
import dev.chatplatform.provider.routing.StreamBrokenException;
import dev.chatplatform.provider.upstream.ChoiceDelta;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.ToolCallDelta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import java.io.Flushable;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/**
 * Runs chat completions: checks, resolves model, price and the deployments to try, then answers whole or
 * as a stream through the {@link Router} (retries, circuit breakers, fallbacks).
 */
@Service
public class CompletionService {

    private static final Logger log = LoggerFactory.getLogger(CompletionService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ModelCatalog catalog;
    private final RoutePlanner planner;
    private final Router router;
    private final Tokenizer tokenizer;
    private final JsonMapper json;
    private final AutoModelSelector autoSelector;
    private final AutoSelections autoSelections;
    private final ResponseCache cache;
    private final ProviderRegistry providers;

    CompletionService(ModelCatalog catalog, RoutePlanner planner, Router router, Tokenizer tokenizer, JsonMapper json,
                      AutoModelSelector autoSelector, AutoSelections autoSelections, ResponseCache cache,
                      ProviderRegistry providers) {
        this.catalog = catalog;
        this.planner = planner;
        this.router = router;
        this.tokenizer = tokenizer;
        this.json = json;
        this.autoSelector = autoSelector;
        this.autoSelections = autoSelections;
        this.cache = cache;
        this.providers = providers;
    }

    /**
     * Everything that can refuse a request happens here, before any byte of the answer is written, so
     * refusals are plain JSON errors even for streams.
     */
    PreparedCompletion prepare(ChatCompletionRequest request, CallerIdentity caller) {
        return prepare(request, caller, CacheMode.DEFAULT);
    }

    /**
     * Also resolves {@code model: "auto"} ({@link AutoModelSelector}) and looks the request up in the response
     * cache when it is cacheable ({@link ResponseCache#keyFor}).
     */
    PreparedCompletion prepare(ChatCompletionRequest request, CallerIdentity caller, CacheMode cacheMode) {
        return prepare(request, caller, cacheMode, null);
    }

    /**
     * @param chosen what {@code auto} chose before this call ({@link #chooseAuto}), reported as the choice when the
     *               request names that model; null when none
     */
    PreparedCompletion prepare(ChatCompletionRequest request, CallerIdentity caller, CacheMode cacheMode,
                               AutoSelection chosen) {
        Instant now = Instant.now();
        List<ProviderMessage> messages = ProviderRequests.messages(request);
        int promptTokens = tokenizer.countPrompt(messages);
        AutoSelection auto = AutoModelSelector.isAuto(request.model())
                ? autoSelector.choose(autoRequest(request, messages, promptTokens), caller.accountId(), now)
                : chosen != null && chosen.model().equals(request.model()) ? chosen : null;
        PricedModel priced = catalog.priced(auto == null ? request.model() : auto.model(), now);
        Model model = priced.model();
        if (model.kind() != ModelKind.CHAT) {
            throw ApiException.invalid("model_not_chat", "The model '" + model.id() + "' is an embedding model;"
                    + " call /v1/embeddings with it, or pick a chat model (kind 'chat' in /v1/models).", "model");
        }
        int maxTokens = maxTokens(request, model, promptTokens);
        List<RouteTarget> planned = planner.plan(priced, promptTokens, now, caller.accountId());
        List<RouteTarget> targets = ProviderRequests.capable(request, model, planned, providers);
        if (targets.isEmpty()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error", "provider_unavailable",
                    "No provider serving '" + model.id() + "' is configured.", null);
        }
        ProviderRequest providerRequest = ProviderRequests.of(request, messages, model.upstreamModel(), maxTokens);
        String requestId = MDC.get(RequestIds.MDC_KEY);
        String cacheKey = cache.keyFor(cacheMode, model.id(), providerRequest).orElse(null);
        CachedAnswer cached = cacheKey == null ? null : cache.find(caller.accountId(), cacheKey).orElse(null);
        return new PreparedCompletion("chatcmpl-" + randomId(), now.getEpochSecond(), priced, targets, providerRequest,
                new CallContext(requestId == null ? RequestIds.mint() : requestId, caller.accountId()), auto, cacheKey,
                cached);
    }

    /**
     * What {@code model: "auto"} picks for this request and caller, without calling any model: chat-service asks
     * first, so the budget hold, limits and usage name the model that answers.
     */
    AutoSelection chooseAuto(ChatCompletionRequest request, CallerIdentity caller) {
        List<ProviderMessage> messages = ProviderRequests.messages(request);
        return autoSelector.choose(autoRequest(request, messages, tokenizer.countPrompt(messages)), caller.accountId(),
                Instant.now());
    }

    ChatCompletionResponse complete(PreparedCompletion call) throws IOException {
        if (call.cached() != null) {
            long start = System.nanoTime();
            ChatCompletionResponse replayed = CacheReplay.response(call);
            recordHit(call, start);
            return replayed;
        }
        autoSelections.remember(call.context().requestId(), call.auto());
        Routed routed;
        try {
            routed = router.generate(call.targets(), call.request(), RoutedObserver.IGNORE, call.context());
        } finally {
            autoSelections.forget(call.context().requestId());
        }
        Generation g = routed.generation();
        storeInCache(call, routed);
        List<ChatCompletionResponse.Choice> choices = g.choices().stream().map(c -> new ChatCompletionResponse.Choice(
                c.index(), new ChatCompletionResponse.Message("assistant",
                        c.content().isEmpty() && !c.toolCalls().isEmpty() ? null : c.content(),
                        ChatCompletionResponse.ToolCallResponse.of(c.toolCalls(), false)),
                c.finishReason(), c.logprobs())).toList();
        return new ChatCompletionResponse(call.id(), "chat.completion", call.created(), routed.target().modelId(),
                choices, UsageResponse.of(g.usage()), call.total(routed.target(), g.usage(), routed.attempts()));
    }

    /**
     * Streams the answer as SSE: a role chunk (one per choice when {@code n > 1}), one chunk per piece (of text, or
     * of a tool call as OpenAI streams them: {@code {"index","id","type","function":{"name","arguments":""}}} first,
     * then argument pieces; each with its choice's index and {@code logprobs} when asked), a finish chunk per
     * choice, the usage chunk (always), then {@code [DONE]}, each pushed to the client by {@code flusher} as soon as
     * it is written. Stops generating when the client goes away. A failure ends the stream with a
     * {@link StreamErrorEvent} that carries the usage of what the client received (none when a deployment started
     * answering, with its role chunk, and every one then failed before its first piece).
     * <p>
     * {@code client} is opened with the first event, the role chunk, sent when a deployment has begun to answer. A
     * refusal or failure before that (every deployment at its concurrency limit, behind an open circuit breaker or
     * failing before it answered) is thrown as the same {@link ApiException} the non-stream answer throws, so the
     * client gets its HTTP status ({@code 429}/{@code 503} with {@code Retry-After}, {@code 502}...) instead of a 200.
     *
     * @throws ApiException when nothing was sent
     */
    void stream(PreparedCompletion call, SseWriter.Target client, Flushable flusher) {
        SseWriter sse = new SseWriter(client, flusher, json);
        if (call.cached() != null) {
            long start = System.nanoTime();
            try {
                CacheReplay.stream(call, sse);
            } catch (IOException e) {
                log.info("cached stream {} ended early: {}", call.id(), e.toString());
            }
            recordHit(call, start);
            return;
        }
        autoSelections.remember(call.context().requestId(), call.auto());
        XPlatform[] sent = {null};
        try {
            Routed routed = router.generate(call.targets(), call.request(), new RoutedObserver() {
                @Override
                public void started(RouteTarget target, TokenUsage usage) throws IOException {
                    for (int index = 0; index < call.request().options().n(); index++) {
                        sse.send(chunk(call, target, index, new ChatCompletionChunk.Delta("assistant", ""), null, null,
                                usage));
                    }
                }

                @Override
                public void delta(RouteTarget target, String content, TokenUsage usageSoFar) throws IOException {
                    ChatCompletionChunk c = chunk(call, target, new ChatCompletionChunk.Delta(null, content), null,
                            usageSoFar);
                    sent[0] = c.xPlatform();
                    sse.send(c);
                }

                @Override
                public void toolCallDelta(RouteTarget target, ToolCallDelta delta, TokenUsage usageSoFar)
                        throws IOException {
                    ChatCompletionChunk c = chunk(call, target, new ChatCompletionChunk.Delta(null, null,
                            List.of(ChatCompletionResponse.ToolCallResponse.of(delta))), null, usageSoFar);
                    sent[0] = c.xPlatform();
                    sse.send(c);
                }

                @Override
                public void choiceDelta(RouteTarget target, ChoiceDelta delta, TokenUsage usageSoFar) throws IOException {
                    ChatCompletionChunk c = chunk(call, target, delta.choice(), new ChatCompletionChunk.Delta(null,
                            delta.content(), delta.toolCalls().isEmpty() ? null : delta.toolCalls().stream()
                            .map(ChatCompletionResponse.ToolCallResponse::of).toList()), null, delta.logprobs(),
                            usageSoFar);
                    sent[0] = c.xPlatform();
                    sse.send(c);
                }
            }, call.context());
            Generation g = routed.generation();
            RouteTarget target = routed.target();
            storeInCache(call, routed);
            for (Generation.Choice choice : g.choices()) {
                sse.send(chunk(call, target, choice.index(), new ChatCompletionChunk.Delta(null, null),
                        choice.finishReason(), null, g.usage()));
            }
            sse.send(new ChatCompletionChunk(call.id(), "chat.completion.chunk", call.created(), target.modelId(),
                    List.of(), UsageResponse.of(g.usage()), call.cumulative(target, g.usage())));
            sse.done();
        } catch (IOException e) {
            log.info("stream {} ended early: {}", call.id(), e.toString());
        } catch (StreamBrokenException e) {
            log.warn("stream {} broke after it had started: {}", call.id(), e.getCause().toString());
            sendError(sse, ApiError.of("server_error", "stream_failed",
                    "The model provider failed in the middle of the answer.", null),
                    call.cumulative(e.target(), e.usageSoFar()));
        } catch (ApiException e) {
            if (!sse.started()) {
                throw e;
            }
            log.warn("stream {} could not be served: {}", call.id(), e.getMessage());
            sendError(sse, e.toError(), sent[0] == null ? call.nothing() : sent[0]);
        } catch (RuntimeException e) {
            if (!sse.started()) {
                throw e;
            }
            log.error("stream {} failed", call.id(), e);
            sendError(sse, ApiError.of("server_error", "stream_failed", "The model failed while answering.", null),
                    sent[0] == null ? call.nothing() : sent[0]);
        } finally {
            autoSelections.forget(call.context().requestId());
        }
    }

    private static void sendError(SseWriter sse, ApiError error, XPlatform usage) {
        try {
            sse.send(new StreamErrorEvent(error.error(), usage));
        } catch (IOException ignored) {
            // the client is gone as well
        }
    }

    private static ChatCompletionChunk chunk(PreparedCompletion call, RouteTarget target, ChatCompletionChunk.Delta delta,
                                             String finishReason, TokenUsage usage) {
        return chunk(call, target, 0, delta, finishReason, null, usage);
    }

    private static ChatCompletionChunk chunk(PreparedCompletion call, RouteTarget target, int index,
                                             ChatCompletionChunk.Delta delta, String finishReason, Object logprobs,
                                             TokenUsage usage) {
        return new ChatCompletionChunk(call.id(), "chat.completion.chunk", call.created(), target.modelId(),
                List.of(new ChatCompletionChunk.Choice(index, delta, finishReason, logprobs)), null,
                call.cumulative(target, usage));
    }

    private static AutoRequest autoRequest(ChatCompletionRequest request, List<ProviderMessage> messages, int promptTokens) {
        boolean tools = !request.tools().isEmpty() || messages.stream()
                .anyMatch(m -> "tool".equals(m.role()) || !m.toolCalls().isEmpty());
        List<String> texts = messages.stream()
                .filter(m -> ("user".equals(m.role()) || m.instructions()) && m.content() != null)
                .map(ProviderMessage::content).toList();
        return new AutoRequest(promptTokens, request.requestedMaxTokens(), tools, texts, request.inputModalities());
    }

    /** Only whole answers are cached (never an error, a stream cut short or a filtered answer). */
    private void storeInCache(PreparedCompletion call, Routed routed) {
        Generation g = routed.generation();
        if (call.cacheKey() == null || !g.moreChoices().isEmpty()
                || !List.of("stop", "length", "tool_calls").contains(g.finishReason())) {
            return;
        }
        RouteTarget t = routed.target();
        cache.store(call.context().accountId(), call.cacheKey(), new CachedAnswer(t.modelId(), t.provider(),
                t.upstreamModel(), g.content(), g.finishReason(), g.toolCalls(), g.usage().promptTokens(),
                g.usage().cachedTokens(), g.usage().completionTokens(), g.usage().estimated()));
    }

    private void recordHit(PreparedCompletion call, long startNanos) {
        cache.recordHit(call.context().requestId(), call.context().accountId(), call.cached(),
                (System.nanoTime() - startNanos) / 1_000_000, call.auto() == null ? null : call.auto().reason());
    }

    /** The caller's limit, checked against the model's output limit and what the context window leaves. */
    private static int maxTokens(ChatCompletionRequest request, Model model, int promptTokens) {
        int room = model.contextWindow() - promptTokens;
        if (room <= 0) {
            throw new ApiException(ErrorCode.CONTEXT_LENGTH_EXCEEDED, "The messages use " + promptTokens
                    + " tokens, more than the model's context window of " + model.contextWindow() + ".", "messages");
        }
        Integer requested = request.requestedMaxTokens();
        if (requested == null) {
            return Math.min(model.maxOutputTokens(), room);
        }
        String param = request.maxTokensParam();
        if (requested > model.maxOutputTokens()) {
            throw new ApiException(ErrorCode.INTEGER_ABOVE_MAX_VALUE, "'" + param + "' is too large: " + requested + ". The model '"
                    + model.id() + "' supports at most " + model.maxOutputTokens() + " completion tokens.", param);
        }
        if (requested > room) {
            throw new ApiException(ErrorCode.CONTEXT_LENGTH_EXCEEDED, "The messages use " + promptTokens + " tokens and '"
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

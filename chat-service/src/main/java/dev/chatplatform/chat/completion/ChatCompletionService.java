package dev.chatplatform.chat.completion;

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
import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.kit.openai.ChatCompletionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Forwards a validated completion to provider-service and meters it. Before the call a budget hold is placed
 * with usage-service and the upstream max tokens clamped to its grant. Every request that consumed tokens
 * leaves exactly one usage event (which settles the hold), whether it completed, the client left mid-stream,
 * the provider failed mid-stream or the answer outgrew its hold; a request that consumed nothing (refused,
 * provider unreachable) leaves none and releases its hold at once. A request that consumed tokens but whose usage
 * event could not be written keeps its hold: when it expires, usage-service bills the request from
 * provider-service's record of the call (and if this replica dies mid-call, the same happens).
 */
@Service
class ChatCompletionService {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionService.class);
    private static final List<String> MAX_TOKEN_FIELDS = List.of("max_tokens", "max_completion_tokens");

    private final ProviderClient provider;
    private final UsageRecorder usage;
    private final JsonMapper json;
    private final SseRelay relay;
    private final BudgetGuard budget;
    private final ModelWindows models;
    private final TokenCounter tokens;

    ChatCompletionService(ProviderClient provider, UsageRecorder usage, JsonMapper json, BudgetGuard budget,
                          ModelWindows models, TokenCounter tokens) {
        this.provider = provider;
        this.usage = usage;
        this.json = json;
        this.relay = new SseRelay(json);
        this.budget = budget;
        this.models = models;
        this.tokens = tokens;
    }

    /** A non-stream completion: the provider's answer without {@code x_platform}, as JSON bytes. */
    byte[] complete(ChatCompletionRequest request, CompletionCall call) {
        Hold hold = hold(request, call, false);
        boolean consumed = false; // then the hold is the usage event's to settle, or usage-service's to bill at expiry
        try {
            byte[] body = json.writeValueAsBytes(upstreamBody(request, hold));
            HttpResponse<byte[]> response = upstream(() -> provider.complete(body, call.caller(), call.requestId(),
                    call.autoChoice()));
            if (!isSuccess(response.statusCode())) {
                throw ProviderErrors.rejection(json, response, new String(response.body(), StandardCharsets.UTF_8));
            }
            ObjectNode answer = ProviderErrors.answer(json, response.body(), "a completion");
            JsonNode platform = answer.remove("x_platform");
            MeteredUsage metered = MeteredUsage.ofCompletion(answer.path("usage"),
                    platform == null ? MissingNode.getInstance() : platform);
            if (!metered.consumedNothing()) {
                consumed = true;
                usage.recordBeforeAnswer(event(request, call, metered, Outcome.COMPLETED, false, null), hold);
            }
            return json.writeValueAsBytes(answer);
        } finally {
            if (!consumed) {
                budget.release(hold, call.caller(), call.requestId());
            }
        }
    }

    /** Where a stream's chunks go; opened only once the provider has accepted the request. */
    @FunctionalInterface
    interface StreamTarget {
        OutputStream open() throws IOException;
    }

    /**
     * A streamed completion. provider-service answers its 200 only with the stream's first event (when a deployment
     * has begun to answer) and a refusal before that with its HTTP status (429 {@code concurrency_limited} or
     * {@code upstream_rate_limited}, 503 {@code upstream_unavailable}, with {@code Retry-After}); such a refusal,
     * like an unreachable provider, throws here before {@code target} is opened, so the client gets the same HTTP
     * error as for a non-stream request and the hold is released. Once the stream has started, every ending is told
     * in the stream.
     */
    void stream(ChatCompletionRequest request, CompletionCall call, StreamTarget target) {
        Hold hold = hold(request, call, true);
        boolean consumed = false; // then the hold is the usage event's to settle, or usage-service's to bill at expiry
        try {
            byte[] body = json.writeValueAsBytes(upstreamBody(request, hold));
            HttpResponse<Stream<String>> response = upstream(() -> provider.stream(body, call.caller(), call.requestId(),
                    call.autoChoice()));
            RelayResult result;
            try (Stream<String> lines = response.body()) {
                if (!isSuccess(response.statusCode())) {
                    throw ProviderErrors.rejection(json, response, readAll(lines));
                }
                OutputStream out;
                try {
                    out = target.open();
                } catch (IOException clientGone) {
                    return; // nothing was generated for a client that left before the first byte
                }
                result = relay.relay(lines.iterator(), out, request.includeUsage(), call.startedNanos(), hold.streamLimit());
            } // closing the lines early drops the upstream connection: a client that left stops the generation
            if (result.usage() != null && !result.usage().consumedNothing()) {
                consumed = true;
                usage.recordAfterAnswer(event(request, call, result.usage(), result.outcome(), true,
                        result.timeToFirstTokenMs()), hold);
            }
        } finally {
            if (!consumed) {
                budget.release(hold, call.caller(), call.requestId());
            }
        }
    }

    /**
     * The budget hold, placed before anything goes upstream: an unknown or unpriced model is refused first
     * (provider-service's 4xx), then usage-service is asked for the worst case (prompt + max tokens of each of
     * the {@code n} choices: all of them are billed).
     */
    private Hold hold(ChatCompletionRequest request, CompletionCall call, boolean streamed) {
        ModelFacts facts = models.describe(request.model(), call.caller(), call.requestId());
        long prompt = PromptTokens.count(request, tokens::count);
        long maxTokens = budget.worstCaseOutput(requestedMaxTokens(request.body()), facts.maxOutputTokens())
                * choices(request);
        return budget.hold(call.caller(), request.model(), facts.price(), prompt, maxTokens, streamed,
                call.requestId());
    }

    /** The smaller of max_tokens and max_completion_tokens, or null when neither is set. */
    private static Long requestedMaxTokens(JsonNode body) {
        Long smallest = null;
        for (String field : MAX_TOKEN_FIELDS) {
            JsonNode value = body.get(field);
            if (value != null && value.isIntegralNumber()) {
                long n = value.canConvertToLong() ? value.asLong() : Long.MAX_VALUE;
                smallest = smallest == null ? n : Math.min(smallest, n);
            }
        }
        return smallest;
    }

    private static long choices(ChatCompletionRequest request) {
        return request.n() == null ? 1 : request.n();
    }

    /**
     * The request as sent upstream: max tokens clamped to the hold's grant (shared by the {@code n} choices, so each
     * gets its part), usage always asked for.
     */
    private ObjectNode upstreamBody(ChatCompletionRequest request, Hold hold) {
        ObjectNode body = request.body().deepCopy();
        if (hold.grantedMaxTokens() != null) {
            long granted = Math.max(1, hold.grantedMaxTokens() / choices(request));
            boolean completionField = body.path("max_completion_tokens").isIntegralNumber();
            boolean tokensField = body.path("max_tokens").isIntegralNumber();
            if (completionField) {
                body.put("max_completion_tokens", granted); // it wins over max_tokens upstream
            }
            if (tokensField || (!completionField && hold.limitsAnswer())) {
                body.put("max_tokens", granted);
            }
        }
        if (request.stream()) {
            // always ask for the usage chunk: the platform meters every stream, whatever the client asked
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private <T> HttpResponse<T> upstream(UpstreamCall<T> call) {
        try {
            return call.send();
        } catch (ProviderUnavailableException e) {
            log.warn("provider-service unavailable: {}", e.getMessage());
            throw ProviderErrors.unavailable();
        }
    }

    @FunctionalInterface
    private interface UpstreamCall<T> {
        HttpResponse<T> send();
    }

    private static String readAll(Stream<String> lines) {
        try {
            return lines.collect(Collectors.joining("\n"));
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static UsageRecorded event(ChatCompletionRequest request, CompletionCall call, MeteredUsage metered,
                                       Outcome outcome, boolean streamed, Long timeToFirstTokenMs) {
        return metered.toEvent(call.requestId(), call.caller(), request.model(), outcome, streamed,
                call.startedNanos(), timeToFirstTokenMs);
    }
}

package dev.chatplatform.chat.conversation;

import dev.chatplatform.chat.budget.BudgetGuard;
import dev.chatplatform.chat.budget.Hold;
import dev.chatplatform.chat.completion.MeteredUsage;
import dev.chatplatform.chat.completion.RelayResult;
import dev.chatplatform.chat.completion.SseRelay;
import dev.chatplatform.chat.context.Context;
import dev.chatplatform.chat.context.ContextBuilder;
import dev.chatplatform.chat.context.ContextMessage;
import dev.chatplatform.chat.context.ContextTooLongException;
import dev.chatplatform.chat.context.ModelFacts;
import dev.chatplatform.chat.context.ModelWindows;
import dev.chatplatform.chat.context.TokenCounter;
import dev.chatplatform.chat.provider.AutoModels;
import dev.chatplatform.chat.provider.ProviderClient;
import dev.chatplatform.chat.provider.ProviderErrors;
import dev.chatplatform.chat.provider.ProviderUnavailableException;
import dev.chatplatform.chat.usage.UsageRecorder;
import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiError;
import dev.chatplatform.kit.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One turn of a conversation: the user's message in, the model's answer out, both stored, the request
 * metered. The turn is written first (user message + an answer marked generating, under a lock on the
 * conversation, so one turn runs at a time); the provider is called outside any transaction; the end of
 * the answer, the title and the usage event are written in one transaction, so a stored answer and its
 * billing go together. A turn the provider refused before answering is removed again: it consumed nothing.
 * Between writing the turn and calling the provider, a budget hold is placed for the context plus max tokens
 * (a refusal removes the turn); it is settled by the usage event, or released at once when the turn consumed
 * nothing. A turn that consumed tokens but could not be stored (its usage event with it) keeps its hold: when it
 * expires, usage-service bills the request from provider-service's record of the call.
 */
@Service
class MessageService {

    private static final Logger log = LoggerFactory.getLogger(MessageService.class);

    /** What the caller asked for; {@code content} is null for a regeneration. */
    record TurnRequest(String content, String model, boolean stream, Integer maxTokens, Double temperature) {
    }

    /** Who asked (asserted downstream in a token minted per call) and what travels with the call to provider-service. */
    record Call(CallerIdentity caller, String requestId, long startedNanos) {
    }

    /** A turn written to the database, about to be answered. */
    /** @param autoChoice what {@code auto} chose ({@code X-Platform-Auto-Model}) for the turn, else null */
    record Turn(Conversation conversation, String model, Message user, boolean userInserted, Message answer,
                Context context, String replaces, String title, ModelFacts facts, String autoChoice) {
    }

    /** Where a streamed answer goes; opened (headers from the turn) once the provider has accepted the request. */
    @FunctionalInterface
    interface StreamTarget {
        OutputStream open(Turn turn) throws IOException;
    }

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final ConversationProperties properties;
    private final ProviderClient provider;
    private final ModelWindows windows;
    private final TokenCounter tokens;
    private final ContextBuilder contextBuilder;
    private final UsageRecorder usage;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SseRelay relay;
    private final BudgetGuard budget;
    private final ConversationEvents events;
    private final AutoModels autoModels;

    MessageService(ConversationRepository conversations, MessageRepository messages, ConversationProperties properties,
                   ProviderClient provider, ModelWindows windows, TokenCounter tokens, UsageRecorder usage,
                   TransactionTemplate tx, JsonMapper json, BudgetGuard budget, ConversationEvents events,
                   AutoModels autoModels) {
        this.autoModels = autoModels;
        this.budget = budget;
        this.events = events;
        this.conversations = conversations;
        this.messages = messages;
        this.properties = properties;
        this.provider = provider;
        this.windows = windows;
        this.tokens = tokens;
        this.contextBuilder = new ContextBuilder(tokens::count);
        this.usage = usage;
        this.tx = tx;
        this.json = json;
        this.relay = new SseRelay(json);
    }

    /** A non-stream turn: the stored messages. */
    ExchangeResponse complete(String conversationId, TurnRequest request, Call call) {
        Turn turn = prepare(conversationId, request, call);
        Hold hold = hold(turn, request, call, false);
        boolean consumed = false; // then the hold is the usage event's to settle, or usage-service's to bill at expiry
        try {
            HttpResponse<byte[]> response;
            try {
                response = provider.complete(upstreamBody(turn, request, hold), call.caller(), call.requestId(),
                        turn.autoChoice());
            } catch (ProviderUnavailableException e) {
                throw abandon(turn, ProviderErrors.unavailable(), e);
            }
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                throw abandon(turn, ProviderErrors.rejection(json, response,
                        new String(response.body(), StandardCharsets.UTF_8)), null);
            }
            ObjectNode answer;
            try {
                answer = json.readTree(response.body()) instanceof ObjectNode o ? o : null;
            } catch (JacksonException e) {
                answer = null;
            }
            if (answer == null) {
                throw abandon(turn, ProviderErrors.unavailable(), new IllegalStateException("not a completion"));
            }
            JsonNode platform = answer.remove("x_platform");
            MeteredUsage metered = MeteredUsage.ofCompletion(answer.path("usage"),
                    platform == null ? MissingNode.getInstance() : platform);
            JsonNode choice = answer.path("choices").path(0);
            consumed = !metered.consumedNothing();
            Message stored = store(turn, call, choice.path("message").path("content").asString(""), MessageStatus.COMPLETED,
                    choice.path("finish_reason").isString() ? choice.path("finish_reason").stringValue() : null,
                    metered, Outcome.COMPLETED, false, null, autoChoice(response));
            return new ExchangeResponse("conversation.exchange", turn.conversation().id(), titleAfter(turn),
                    turn.context().truncated(), turn.context().droppedMessages(), MessageResponse.of(turn.user()),
                    MessageResponse.of(stored));
        } finally {
            if (!consumed) {
                budget.release(hold, call.caller(), call.requestId());
            }
        }
    }

    /**
     * A streamed turn. Refusals throw before {@code target} is opened (a plain HTTP error); once it is open,
     * the stream ends with the usage chunk carrying {@code x_conversation} then {@code [DONE]}, or with an
     * error event (OpenAI's shape, plus {@code x_conversation}) then {@code [DONE]}.
     */
    void stream(String conversationId, TurnRequest request, Call call, StreamTarget target) {
        Turn turn = prepare(conversationId, request, call);
        Hold hold = hold(turn, request, call, true);
        boolean consumed = false;
        try {
            consumed = relayAndStore(turn, request, call, target, hold);
        } finally {
            if (!consumed) {
                budget.release(hold, call.caller(), call.requestId());
            }
        }
    }

    /**
     * Returns whether the turn consumed tokens: then its usage event settles the hold, or, when the answer and its
     * event could not be stored, usage-service bills it when the hold expires.
     */
    private boolean relayAndStore(Turn turn, TurnRequest request, Call call, StreamTarget target, Hold hold) {
        HttpResponse<Stream<String>> response;
        try {
            response = provider.stream(upstreamBody(turn, request, hold), call.caller(), call.requestId(),
                    turn.autoChoice());
        } catch (ProviderUnavailableException e) {
            throw abandon(turn, ProviderErrors.unavailable(), e);
        }
        RelayResult result;
        OutputStream out;
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                throw abandon(turn, ProviderErrors.rejection(json, response, readAll(lines)), null);
            }
            try {
                out = target.open(turn);
            } catch (IOException clientGone) {
                abandon(turn, null, null);
                return false;
            }
            result = relay.relayUnterminated(lines.iterator(), out, false, call.startedNanos(),
                    stopSignal(turn.answer().id()), hold.streamLimit());
        } // closing the lines drops the upstream connection: a stopped or abandoned answer stops generating
        MessageStatus status = MessageStatus.of(result.outcome(), result.stopped());
        boolean consumed = result.usage() != null && !result.usage().consumedNothing();
        Message stored;
        try {
            stored = store(turn, call, result.content(), status, result.finishReason(), result.usage(),
                    result.outcome(), true, result.timeToFirstTokenMs(), autoChoice(response));
        } catch (RuntimeException e) {
            log.error("could not store the answer of request {}{}", call.requestId(), consumed && hold.placed()
                    ? "; usage-service bills it from provider-service's record when hold " + hold.holdId() + " expires"
                    : "", e);
            relay.sendQuietly(out, json.valueToTree(ApiError.of("server_error", "internal_error",
                    "The answer could not be stored.", null)));
            relay.finish(out);
            return consumed;
        }
        if (result.outcome() == Outcome.CLIENT_DISCONNECTED && !result.stopped()) {
            return consumed; // nobody is reading any more
        }
        ObjectNode extension = extension(turn, stored);
        if (result.error() != null) {
            if (result.error() instanceof ObjectNode error) {
                error.set("x_conversation", extension);
            }
            relay.sendQuietly(out, result.error());
        } else {
            relay.sendQuietly(out, usageChunk(turn, stored, result.usage(), extension));
        }
        relay.finish(out);
        return consumed;
    }

    /**
     * The turn's budget hold, placed after the turn is written (its prompt is known then) and before anything
     * goes upstream; a refusal removes the turn again.
     */
    private Hold hold(Turn turn, TurnRequest request, Call call, boolean streamed) {
        long maxTokens = budget.worstCaseOutput(request.maxTokens() == null ? null : request.maxTokens().longValue(),
                turn.facts().maxOutputTokens());
        try {
            return budget.hold(call.caller(), turn.model(), turn.facts().price(), turn.context().promptTokens(),
                    maxTokens, streamed, call.requestId());
        } catch (ApiException refused) {
            throw abandon(turn, refused, null);
        }
    }

    /** Flags the conversation's running answer; the replica streaming it notices within the poll interval. */
    String stop(String accountId, String conversationId) {
        conversations.find(accountId, conversationId).orElseThrow(() -> ConversationService.notFound(conversationId));
        return messages.requestStop(conversationId, activeSince()).orElseThrow(() -> new ApiException(
                HttpStatus.CONFLICT, "invalid_request_error", "no_active_generation",
                "No answer is being generated in this conversation.", null));
    }

    private Turn prepare(String conversationId, TurnRequest request, Call call) {
        String accountId = call.caller().accountId();
        Conversation found = conversations.find(accountId, conversationId)
                .orElseThrow(() -> ConversationService.notFound(conversationId));
        String requested = request.model() != null ? request.model() : found.model();
        AutoModels.Choice auto = AutoModels.isAuto(requested)
                ? autoModels.choose(autoProbe(found, request), call.caller(), call.requestId()) : null;
        String model = auto == null ? requested : auto.model();
        ModelFacts facts = windows.describe(model, call.caller(), call.requestId());
        int window = facts.window();
        int reserved = windows.reservedOutput(request.maxTokens(), window);
        return tx.execute(status -> {
            Conversation c = conversations.lock(accountId, conversationId)
                    .orElseThrow(() -> ConversationService.notFound(conversationId));
            if (messages.generating(conversationId, activeSince())) {
                throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "generation_in_progress",
                        "An answer is still being generated in this conversation; wait for it or stop it.", null);
            }
            List<Message> all = messages.all(conversationId);
            Message user;
            List<Message> prior;
            String replaces = null;
            Instant now = ConversationService.now();
            if (request.content() == null) {
                Message last = all.isEmpty() ? null : all.getLast();
                int userIndex = all.size() - 2;
                if (last == null || !last.role().equals("assistant") || userIndex < 0
                        || !all.get(userIndex).role().equals("user")) {
                    throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "nothing_to_regenerate",
                            "The conversation does not end with an answer to regenerate.", null);
                }
                user = all.get(userIndex);
                prior = all.subList(0, userIndex);
                replaces = last.id();
            } else {
                if (all.size() + 2 > properties.maxMessagesPerConversation()) {
                    throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "message_limit_reached",
                            "This conversation holds " + all.size() + " messages; at most "
                                    + properties.maxMessagesPerConversation() + " are kept. Start a new conversation.", null);
                }
                user = new Message(0, ConversationService.newId("msg_"), conversationId, "user", request.content(),
                        MessageStatus.COMPLETED, model, call.requestId(), (long) tokens.count(request.content()),
                        null, null, null, null, null, null, false, 0, now, now, null);
                prior = all;
            }
            Context context;
            try {
                context = contextBuilder.build(c.systemPrompt(), history(prior),
                        new ContextMessage("user", user.content()), window, reserved);
            } catch (ContextTooLongException e) {
                throw ApiException.invalid("context_length_exceeded", "This model's context window is " + window
                        + " tokens, " + reserved + " of them kept for the answer. " + e.getMessage(), "content");
            }
            if (request.content() != null) {
                user = messages.insert(accountId, user, null);
            }
            Message answer = messages.insert(accountId, new Message(0, ConversationService.newId("msg_"),
                    conversationId, "assistant", "", MessageStatus.GENERATING, model, call.requestId(), null, null,
                    null, null, null, null, null, context.truncated(), context.droppedMessages(), now, null, null), replaces);
            String title = c.title() != null ? null : Titles.fromFirstMessage(
                    all.stream().filter(m -> m.role().equals("user")).findFirst().orElse(user).content(),
                    properties.autoTitleChars());
            return new Turn(c, model, user, request.content() != null, answer, context, replaces, title, facts,
                    auto == null ? null : auto.header());
        });
    }

    /** What the model sees of earlier messages: finished (or cut) text, not answers still being written. */
    private static List<ContextMessage> history(List<Message> prior) {
        List<ContextMessage> history = new ArrayList<>();
        for (Message m : prior) {
            if (m.status() != MessageStatus.GENERATING && !m.content().isEmpty()) {
                history.add(new ContextMessage(m.role(), m.content()));
            }
        }
        return history;
    }

    private byte[] upstreamBody(Turn turn, TurnRequest request, Hold hold) {
        ObjectNode body = json.createObjectNode();
        body.put("model", turn.model());
        ArrayNode list = body.putArray("messages");
        for (ContextMessage m : turn.context().messages()) {
            list.addObject().put("role", m.role()).put("content", m.content());
        }
        if (hold.grantedMaxTokens() != null && (request.maxTokens() != null || hold.limitsAnswer())) {
            body.put("max_tokens", hold.grantedMaxTokens()); // at most the request's maxTokens
        } else if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.stream()) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true); // always metered
        }
        return json.writeValueAsBytes(body);
    }

    /**
     * Stores the end of the answer, the title, the usage event and the turn's {@code message.recorded.v1} events
     * (the user message, when this turn wrote it, and the answer) in one transaction.
     */
    private Message store(Turn turn, Call call, String content, MessageStatus status, String finishReason,
                          MeteredUsage metered, Outcome outcome, boolean streamed, Long ttft, AutoChoice auto) {
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startedNanos());
        Instant now = ConversationService.now();
        Message a = turn.answer();
        Message done = new Message(a.seq(), a.id(), a.conversationId(), a.role(), content == null ? "" : content, status,
                a.model(), a.requestId(), metered == null ? null : metered.inputTokens(),
                metered == null ? null : metered.cachedInputTokens(), metered == null ? null : metered.outputTokens(),
                metered == null ? null : metered.costMicroUsd(), latencyMs, ttft, finishReason, a.historyTruncated(),
                a.droppedMessages(), a.createdAt(), now, auto);
        tx.executeWithoutResult(s -> {
            if (messages.complete(done)) {
                if (turn.replaces() != null) {
                    messages.delete(turn.replaces());
                }
                conversations.touch(turn.conversation().id(), now, turn.title());
                String account = turn.conversation().accountId();
                if (turn.userInserted()) {
                    events.recorded(account, turn.user(), null);
                }
                events.recorded(account, done, turn.replaces());
            }
            if (metered != null && !metered.consumedNothing()) {
                usage.record(metered.toEvent(call.requestId(), call.caller(), turn.model(), outcome, streamed,
                        call.startedNanos(), ttft));
            }
        });
        return done;
    }

    /** Removes a turn the provider never answered; returns {@code error} for the caller to throw. */
    private ApiException abandon(Turn turn, ApiException error, Exception cause) {
        if (cause != null) {
            log.warn("provider-service did not answer turn {}: {}", turn.answer().id(), cause.toString());
        }
        tx.executeWithoutResult(s -> {
            messages.delete(turn.answer().id());
            if (turn.userInserted()) {
                messages.delete(turn.user().id());
            }
        });
        return error;
    }

    /** Asks the database at most once per poll interval: the stop may come through any replica. */
    private BooleanSupplier stopSignal(String answerId) {
        long interval = properties.stopPollInterval().toNanos();
        long[] next = {System.nanoTime() + interval};
        return () -> {
            long now = System.nanoTime();
            if (now < next[0]) {
                return false;
            }
            next[0] = now + interval;
            return messages.stopRequested(answerId);
        };
    }

    private Instant activeSince() {
        return Instant.now().minus(properties.generationTimeout());
    }

    private static String titleAfter(Turn turn) {
        return turn.conversation().title() != null ? turn.conversation().title() : turn.title();
    }

    private ObjectNode extension(Turn turn, Message stored) {
        ObjectNode x = json.createObjectNode();
        x.put("conversationId", turn.conversation().id());
        x.put("userMessageId", turn.user().id());
        x.put("assistantMessageId", stored.id());
        x.put("status", stored.status().dbValue());
        x.put("finishReason", stored.finishReason());
        x.put("historyTruncated", turn.context().truncated());
        x.put("droppedMessages", turn.context().droppedMessages());
        x.put("title", titleAfter(turn));
        x.put("costMicroUsd", stored.costMicroUsd());
        x.put("autoModel", stored.auto() == null ? null : stored.auto().model());
        x.put("autoReason", stored.auto() == null ? null : stored.auto().reason());
        return x;
    }

    /**
     * What {@code auto} is asked to choose for: the conversation's instructions and the new message (a regeneration:
     * the instructions alone), with the turn's max tokens. The history is cut to the chosen model's window afterwards.
     */
    private ObjectNode autoProbe(Conversation conversation, TurnRequest request) {
        ObjectNode probe = json.createObjectNode();
        probe.put("model", AutoModels.AUTO);
        var list = probe.putArray("messages");
        if (conversation.systemPrompt() != null && !conversation.systemPrompt().isBlank()) {
            list.addObject().put("role", "system").put("content", conversation.systemPrompt());
        }
        list.addObject().put("role", "user").put("content", request.content() == null ? "" : request.content());
        if (request.maxTokens() != null) {
            probe.put("max_tokens", request.maxTokens());
        }
        return probe;
    }

    private static AutoChoice autoChoice(HttpResponse<?> response) {
        return AutoChoice.parse(response.headers().firstValue(AutoChoice.HEADER).orElse(null));
    }

    private ObjectNode usageChunk(Turn turn, Message stored, MeteredUsage metered, ObjectNode extension) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", "chatcmpl-" + stored.id());
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", stored.createdAt().getEpochSecond());
        chunk.put("model", turn.model());
        chunk.putArray("choices");
        long in = metered == null ? 0 : metered.inputTokens();
        long out = metered == null ? 0 : metered.outputTokens();
        ObjectNode u = chunk.putObject("usage");
        u.put("prompt_tokens", in);
        u.put("completion_tokens", out);
        u.put("total_tokens", in + out);
        u.putObject("prompt_tokens_details").put("cached_tokens", metered == null ? 0 : metered.cachedInputTokens());
        chunk.set("x_conversation", extension);
        return chunk;
    }

    private static String readAll(Stream<String> lines) {
        try {
            return lines.collect(Collectors.joining("\n"));
        } catch (RuntimeException e) {
            return "";
        }
    }
}

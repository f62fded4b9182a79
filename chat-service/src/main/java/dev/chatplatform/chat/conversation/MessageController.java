package dev.chatplatform.chat.conversation;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.openapi.RetryLater;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.kit.web.RequiresScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * A conversation's turns: send a message, regenerate the last answer, stop the running answer. Answers
 * are written on the request's own (virtual) thread, streamed chunk by chunk when {@code stream} is true,
 * like {@code /v1/chat/completions}.
 */
@RequiresScope(Scope.CHAT)
@RestController
@RequestMapping("/api/v1/conversations/{id}")
class MessageController {

    private static final Set<String> SEND_FIELDS = Set.of("content", "model", "stream", "maxTokens", "temperature");
    private static final Set<String> REGENERATE_FIELDS = Set.of("model", "stream", "maxTokens", "temperature");
    private static final int MAX_TOKENS_LIMIT = 1_000_000;

    private final MessageService turns;
    private final ConversationProperties properties;
    private final JsonMapper json;

    MessageController(MessageService turns, ConversationProperties properties, JsonMapper json) {
        this.turns = turns;
        this.properties = properties;
        this.json = json;
    }

    @RetryLater
    @PostMapping("/messages")
    void send(@PathVariable String id, @RequestBody(required = false) JsonNode body, CallerIdentity caller,
              HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        RequestFields fields = RequestFields.of(body, SEND_FIELDS);
        String content = fields.requiredString("content", properties.maxMessageChars());
        answer(id, options(fields, content), caller, started, request, response);
    }

    @RetryLater
    @PostMapping("/regenerate")
    void regenerate(@PathVariable String id, @RequestBody(required = false) JsonNode body, CallerIdentity caller,
                    HttpServletRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        answer(id, options(RequestFields.of(body, REGENERATE_FIELDS), null), caller, started, request, response);
    }

    @PostMapping("/stop")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Map<String, String> stop(@PathVariable String id, CallerIdentity caller) {
        String messageId = turns.stop(caller.accountId(), id);
        return Map.of("conversationId", id, "messageId", messageId, "status", "stopping");
    }

    private static MessageService.TurnRequest options(RequestFields fields, String content) {
        return new MessageService.TurnRequest(content, fields.model("model"), fields.bool("stream", false),
                fields.integer("maxTokens", 1, MAX_TOKENS_LIMIT), fields.decimal("temperature", 0, 2));
    }

    private void answer(String id, MessageService.TurnRequest turn, CallerIdentity caller, long started,
                        HttpServletRequest request, HttpServletResponse response) throws IOException {
        MessageService.Call call = new MessageService.Call(caller, (String) request.getAttribute(RequestIds.MDC_KEY),
                started);
        if (!turn.stream()) {
            ExchangeResponse exchange = turns.complete(id, turn, call);
            byte[] bytes = json.writeValueAsBytes(exchange);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setHeader("X-History-Truncated", String.valueOf(exchange.historyTruncated()));
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            return;
        }
        turns.stream(id, turn, call, t -> {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            response.setHeader("X-Conversation-Id", t.conversation().id());
            response.setHeader("X-User-Message-Id", t.user().id());
            response.setHeader("X-Assistant-Message-Id", t.answer().id());
            response.setHeader("X-History-Truncated", String.valueOf(t.context().truncated()));
            response.setHeader("X-History-Dropped-Messages", String.valueOf(t.context().droppedMessages()));
            return response.getOutputStream();
        });
    }
}

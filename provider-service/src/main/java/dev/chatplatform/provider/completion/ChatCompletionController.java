package dev.chatplatform.provider.completion;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.openai.ChatCompletionRequest;
import dev.chatplatform.provider.auto.AutoSelection;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.provider.cache.CacheMode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * Both answer kinds are a {@link StreamingResponseBody}: Spring MVC picks the streaming return-value
 * handler from the declared type, so one endpoint cannot return a JSON object for one request and a stream
 * for the next. The non-stream answer is computed before returning (so its failures become JSON errors)
 * and then only written out. Streams flush through the servlet response (see {@link SseWriter}).
 */
@RequiresScope(Scope.CHAT)
@RestController
class ChatCompletionController {

    static final String AUTO_MODEL_HEADER = "X-Platform-Auto-Model";

    private final CompletionService completions;
    private final JsonMapper json;

    ChatCompletionController(CompletionService completions, JsonMapper json) {
        this.completions = completions;
        this.json = json;
    }

    @PostMapping("/v1/chat/completions")
    ResponseEntity<StreamingResponseBody> complete(@RequestBody JsonNode requestBody, CallerIdentity caller,
                                                   @RequestHeader(value = CacheMode.HEADER, required = false) String cache,
                                                   @RequestHeader(value = AUTO_MODEL_HEADER, required = false) String auto,
                                                   HttpServletResponse response) throws IOException {
        ChatCompletionRequest request = ChatCompletionRequest.parse(requestBody);
        PreparedCompletion call = completions.prepare(request, caller, CacheMode.of(cache), AutoSelection.parse(auto));
        if (request.stream()) {
            return ResponseEntity.ok()
                    .headers(h -> platformHeaders(h, call))
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .cacheControl(CacheControl.noCache())
                    .header("X-Accel-Buffering", "no")
                    .body(out -> completions.stream(call, out, response::flushBuffer));
        }
        byte[] body = json.writeValueAsBytes(completions.complete(call));
        return ResponseEntity.ok()
                .headers(h -> platformHeaders(h, call))
                .contentType(MediaType.APPLICATION_JSON)
                .contentLength(body.length)
                .body(out -> out.write(body));
    }

    /**
     * What {@code model: "auto"} would pick for this request, as {@code {"model","reason"}}, without calling a model.
     * chat-service asks before it holds budget and then calls {@code /v1/chat/completions} with the chosen model and
     * this choice in {@code X-Platform-Auto-Model}, so the answer still reports it.
     */
    @PostMapping("/v1/chat/completions/auto-choice")
    AutoSelection chooseAuto(@RequestBody JsonNode requestBody, CallerIdentity caller) {
        return completions.chooseAuto(ChatCompletionRequest.parse(requestBody), caller);
    }

    /** {@code X-Platform-Auto-Model} for model "auto"; {@code X-Platform-Cache: hit|miss} for cacheable requests. */
    private static void platformHeaders(HttpHeaders headers, PreparedCompletion call) {
        if (call.auto() != null) {
            headers.set(AUTO_MODEL_HEADER, call.auto().headerValue());
        }
        if (call.cacheKey() != null) {
            headers.set(CacheMode.HEADER, call.cached() != null ? "hit" : "miss");
        }
    }
}

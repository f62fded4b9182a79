package dev.chatplatform.provider.completion;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.openai.ChatCompletionRequest;
import dev.chatplatform.provider.auto.AutoSelection;
import dev.chatplatform.kit.openapi.RetryLater;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.provider.cache.CacheMode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * Both answer kinds are written straight to the response on the request's own (virtual) thread. The non-stream
 * answer is computed before anything is written, so its failures become JSON errors. A stream's status and headers
 * are sent with its first event ({@link SseWriter}): a refusal before any output (every deployment at its
 * concurrency limit, or failing before it answered) is a JSON error with its own HTTP status too, never a 200.
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

    @RetryLater
    @PostMapping("/v1/chat/completions")
    void complete(@RequestBody JsonNode requestBody, CallerIdentity caller,
                  @RequestHeader(value = CacheMode.HEADER, required = false) String cache,
                  @RequestHeader(value = AUTO_MODEL_HEADER, required = false) String auto,
                  HttpServletResponse response) throws IOException {
        ChatCompletionRequest request = ChatCompletionRequest.parse(requestBody);
        PreparedCompletion call = completions.prepare(request, caller, CacheMode.of(cache), AutoSelection.parse(auto));
        if (request.stream()) {
            completions.stream(call, () -> {
                response.setStatus(HttpServletResponse.SC_OK);
                platformHeaders(response, call);
                response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
                response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noCache().getHeaderValue());
                response.setHeader("X-Accel-Buffering", "no"); // tells reverse proxies not to buffer the stream
                return response.getOutputStream();
            }, response::flushBuffer);
            return;
        }
        byte[] body = json.writeValueAsBytes(completions.complete(call));
        response.setStatus(HttpServletResponse.SC_OK);
        platformHeaders(response, call);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
    private static void platformHeaders(HttpServletResponse response, PreparedCompletion call) {
        if (call.auto() != null) {
            response.setHeader(AUTO_MODEL_HEADER, call.auto().headerValue());
        }
        if (call.cacheKey() != null) {
            response.setHeader(CacheMode.HEADER, call.cached() != null ? "hit" : "miss");
        }
    }
}

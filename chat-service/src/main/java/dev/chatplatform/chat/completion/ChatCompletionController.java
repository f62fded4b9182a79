package dev.chatplatform.chat.completion;

import dev.chatplatform.chat.provider.AutoModels;
import dev.chatplatform.chat.provider.ProviderClient;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.openai.ChatCompletionRequest;
import dev.chatplatform.kit.openapi.RetryLater;
import dev.chatplatform.kit.web.RequestIds;
import dev.chatplatform.kit.web.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * OpenAI's {@code POST /v1/chat/completions}. {@code model: "auto"} is resolved first ({@link AutoModels}); the
 * answer names the chosen model in {@code model} and {@code X-Platform-Auto-Model} says why. The answer is written
 * straight to the response on the
 * request's own (virtual) thread: a stream is flushed chunk by chunk with no async hand-off, so request
 * id, trace and MDC stay with it to the end and no async timeout can cut a long answer.
 */
@RequiresScope(Scope.CHAT)
@RestController
class ChatCompletionController {

    private final ChatCompletionService completions;
    private final AutoModels autoModels;

    ChatCompletionController(ChatCompletionService completions, AutoModels autoModels) {
        this.completions = completions;
        this.autoModels = autoModels;
    }

    @Operation(summary = "Create a chat completion (OpenAI-compatible)", description = """
            OpenAI's Chat Completions API: the answer as one JSON object, or with `"stream": true` as server-sent \
            events (one `chat.completion.chunk` per token, then `data: [DONE]`). A budget hold is placed before the \
            model is called; `max_tokens` may be lowered to what the budget allows.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = ChatCompletionDocumentation.Request.class),
                    examples = @ExampleObject(name = "hello", value = ChatCompletionDocumentation.EXAMPLE_REQUEST))),
            responses = @ApiResponse(responseCode = "200", description = "The answer, or its stream.", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ChatCompletionDocumentation.Answer.class),
                            examples = @ExampleObject(name = "answer", value = ChatCompletionDocumentation.EXAMPLE_ANSWER)),
                    @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"),
                            examples = @ExampleObject(name = "stream", value = ChatCompletionDocumentation.EXAMPLE_STREAM))}))
    @RetryLater
    @PostMapping("/v1/chat/completions")
    void complete(@RequestBody JsonNode body, CallerIdentity caller, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        ChatCompletionRequest completion = ChatCompletionRequest.parse(body);
        String requestId = (String) request.getAttribute(RequestIds.MDC_KEY);
        AutoModels.Choice auto = AutoModels.isAuto(completion.model())
                ? autoModels.choose(completion.body(), caller, requestId) : null;
        if (auto != null) {
            completion = completion.withModel(auto.model());
            response.setHeader(ProviderClient.AUTO_MODEL_HEADER, auto.header());
        }
        CompletionCall call = new CompletionCall(caller, requestId, started, auto == null ? null : auto.header());
        if (!completion.stream()) {
            byte[] answer = completions.complete(completion, call);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(answer.length);
            response.getOutputStream().write(answer);
            return;
        }
        completions.stream(completion, call, () -> {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no"); // tells reverse proxies not to buffer the stream
            return response.getOutputStream();
        });
    }
}

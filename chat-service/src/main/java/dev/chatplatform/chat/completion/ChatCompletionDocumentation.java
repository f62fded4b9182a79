package dev.chatplatform.chat.completion;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The shapes of {@code POST /v1/chat/completions} as the OpenAPI document describes them: the controller reads
 * the body as a JSON tree (service-kit's {@code kit.openai.ChatCompletionRequest.parse} checks it and names the
 * field at fault) and writes the answer it relays, so the types alone would say "any JSON". These records only document; the common fields
 * are listed, and every other field of OpenAI's Chat Completions API is accepted as OpenAI defines it.
 */
final class ChatCompletionDocumentation {

    private ChatCompletionDocumentation() {
    }

    static final String EXAMPLE_REQUEST = """
            {"model":"sim-1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello!"}]}""";

    static final String EXAMPLE_ANSWER = """
            {"id":"chatcmpl-7d1c2f","object":"chat.completion","created":1765100000,"model":"sim-1",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help?"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":14,"completion_tokens":6,"total_tokens":20}}""";

    static final String EXAMPLE_STREAM = """
            data: {"id":"chatcmpl-7d1c2f","object":"chat.completion.chunk","created":1765100000,"model":"sim-1","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}

            data: {"id":"chatcmpl-7d1c2f","object":"chat.completion.chunk","created":1765100000,"model":"sim-1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: [DONE]

            """;

    @Schema(name = "ChatCompletionRequest", description = "OpenAI's chat completion request.",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record Request(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "sim-1",
                    description = "A model id from `GET /v1/models`, or `auto`.") String model,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Message> messages,
            @Schema(description = "Answer as server-sent events (`text/event-stream`), one chunk per token.")
            Boolean stream,
            @JsonProperty("stream_options") StreamOptions streamOptions,
            @JsonProperty("max_tokens") @Schema(minimum = "1") Integer maxTokens,
            @Schema(minimum = "0", maximum = "2") Double temperature,
            @JsonProperty("top_p") @Schema(minimum = "0", maximum = "1") Double topP,
            @Schema(description = "Up to 4 sequences where the model stops: a string or an array of strings.")
            Object stop,
            String user) {
    }

    @Schema(name = "ChatMessage", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record Message(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"developer", "system", "user", "assistant", "tool"}) String role,
            @Schema(description = "The text, or (user messages) an array of content parts.") Object content) {
    }

    @Schema(name = "StreamOptions")
    record StreamOptions(@JsonProperty("include_usage") @Schema(description = "End the stream with a usage chunk.")
                         Boolean includeUsage) {
    }

    @Schema(name = "ChatCompletion", description = "The answer (`stream` false).")
    record Answer(String id, @Schema(example = "chat.completion") String object, long created, String model,
                  List<Choice> choices, Usage usage) {
    }

    @Schema(name = "ChatCompletionChoice")
    record Choice(int index, Message message,
                  @JsonProperty("finish_reason") @Schema(example = "stop") String finishReason) {
    }

    @Schema(name = "CompletionUsage")
    record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                 @JsonProperty("completion_tokens") long completionTokens,
                 @JsonProperty("total_tokens") long totalTokens) {
    }
}

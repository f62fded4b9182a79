package dev.chatplatform.provider.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartInputAudio;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionDeveloperMessageParam;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;
import com.openai.models.completions.CompletionUsage;
import dev.chatplatform.kit.openai.ContentPart;
import dev.chatplatform.kit.openai.ResponseFormat;
import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.ChoiceDelta;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.ToolCall;
import dev.chatplatform.provider.upstream.ToolCallDelta;
import dev.chatplatform.provider.upstream.ToolDefinition;
import dev.chatplatform.provider.upstream.UpstreamException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Speaks OpenAI's Chat Completions through the official SDK. Streams ask for usage
 * ({@code stream_options.include_usage}); a server that sends none gets its usage counted with the
 * tokenizer and marked estimated. {@code response_format}, {@code seed}, {@code parallel_tool_calls}, {@code n},
 * {@code logprobs}, {@code top_logprobs}, developer messages and image, file and audio parts go on the wire as the
 * caller sent them; every choice comes back with its log probabilities as OpenAI sent them.
 */
public class OpenAiChatProvider implements ChatProvider {

    private static final Set<String> SUPPORTED_PARAMETERS = Set.of("response_format", "seed", "parallel_tool_calls",
            "n", "logprobs");

    private static final JsonMapper TREES = JsonMapper.builder().build();

    private final String name;
    private final OpenAIClient client;
    private final Tokenizer tokenizer;

    public OpenAiChatProvider(String name, OpenAIClient client, Tokenizer tokenizer) {
        this.name = name;
        this.client = client;
        this.tokenizer = tokenizer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> supportedParameters() {
        return SUPPORTED_PARAMETERS;
    }

    @Override
    public Generation generate(ProviderRequest request, GenerationObserver observer) throws IOException {
        try {
            return observer == GenerationObserver.IGNORE ? complete(request) : stream(request, observer);
        } catch (OpenAIException e) {
            throw OpenAiErrors.upstream(name, e);
        }
    }

    private Generation complete(ProviderRequest request) {
        ChatCompletion completion = client.chat().completions().create(params(request, false));
        if (completion.choices().isEmpty()) {
            throw new UpstreamException(name, 0, null, "malformed_response", name + " answered without a choice", null);
        }
        List<Generation.Choice> choices = new ArrayList<>();
        for (ChatCompletion.Choice choice : completion.choices()) {
            List<ToolCall> toolCalls = choice.message().toolCalls().orElse(List.of()).stream()
                    .filter(t -> t.isFunction())
                    .map(t -> t.asFunction())
                    .map(f -> new ToolCall(f.id(), f.function().name(), f.function().arguments()))
                    .toList();
            choices.add(new Generation.Choice(index(choice._index()), choice.message().content().orElse(""),
                    choice.finishReason().asString(), toolCalls, choice.logprobs().map(OpenAiChatProvider::tree)
                    .orElse(null)));
        }
        TokenUsage usage = completion.usage().map(OpenAiChatProvider::usage).orElseGet(() -> estimate(request, choices));
        return generation(choices, usage);
    }

    private Generation stream(ProviderRequest request, GenerationObserver observer) throws IOException {
        TokenUsage soFar = new TokenUsage(tokenizer.countPrompt(request.messages()), 0, 0, true);
        boolean choiceDeltas = request.options().n() > 1 || request.options().logprobs();
        Map<Integer, PartialChoice> choices = new TreeMap<>();
        TokenUsage reported = null;
        boolean started = false;
        try (StreamResponse<ChatCompletionChunk> chunks = client.chat().completions().createStreaming(params(request, true))) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) chunks.stream()::iterator) {
                if (!started) {
                    observer.started(soFar);
                    started = true;
                }
                if (chunk.usage().isPresent()) {
                    reported = usage(chunk.usage().get());
                }
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    int index = index(choice._index());
                    PartialChoice partial = choices.computeIfAbsent(index, i -> new PartialChoice());
                    if (choice.finishReason().isPresent()) {
                        partial.finishReason = choice.finishReason().get().asString();
                    }
                    List<ToolCallDelta> calls = new ArrayList<>();
                    for (var d : choice.delta().toolCalls().orElse(List.of())) {
                        // each piece goes on as it arrives: the first (id, name) of a call, then its argument pieces
                        PartialToolCall call = partial.toolCalls.computeIfAbsent(d.index(), i -> new PartialToolCall());
                        String id = d.id().orElse(null);
                        String callName = d.function().flatMap(f -> f.name()).orElse(null);
                        String arguments = d.function().flatMap(f -> f.arguments()).orElse("");
                        if (id != null) {
                            call.id = id;
                        }
                        if (callName != null) {
                            call.name = callName;
                        }
                        call.arguments.append(arguments);
                        soFar = soFar.withCompletionTokens(soFar.completionTokens() + tokenizer.count(arguments));
                        ToolCallDelta delta = new ToolCallDelta(Math.toIntExact(d.index()), id, callName, arguments);
                        if (choiceDeltas) {
                            calls.add(delta);
                        } else {
                            observer.toolCallDelta(delta, soFar);
                        }
                    }
                    String piece = choice.delta().content().orElse("");
                    partial.content.append(piece);
                    soFar = soFar.withCompletionTokens(soFar.completionTokens() + tokenizer.count(piece));
                    JsonNode logprobs = choice.logprobs().map(OpenAiChatProvider::tree).orElse(null);
                    partial.logprobs(logprobs);
                    if (choiceDeltas) {
                        if (!piece.isEmpty() || !calls.isEmpty() || logprobs != null) {
                            observer.choiceDelta(new ChoiceDelta(index, piece, calls, logprobs), soFar);
                        }
                    } else if (!piece.isEmpty()) {
                        observer.delta(piece, soFar);
                    }
                }
            }
        }
        if (choices.isEmpty() || choices.values().stream().anyMatch(c -> c.finishReason == null)) {
            throw new UpstreamException(name, 0, null, "stream_cut", name + " ended the stream before finishing", null);
        }
        List<Generation.Choice> finished = new ArrayList<>();
        choices.forEach((index, c) -> finished.add(new Generation.Choice(index, c.content.toString(),
                c.finishReason, c.toolCalls.values().stream()
                .map(p -> new ToolCall(p.id, p.name, p.arguments.toString())).toList(), c.logprobs)));
        return generation(finished, reported != null ? reported : estimate(request, finished));
    }

    /** The first choice (index 0) as the generation's own, the others after it. */
    private Generation generation(List<Generation.Choice> choices, TokenUsage usage) {
        Generation.Choice first = choices.stream().filter(c -> c.index() == 0).findFirst()
                .orElseThrow(() -> new UpstreamException(name, 0, null, "malformed_response",
                        name + " answered without choice 0", null));
        return new Generation(first.content(), first.finishReason(), usage, first.toolCalls(), first.logprobs(),
                choices.stream().filter(c -> c != first).toList());
    }

    private TokenUsage estimate(ProviderRequest request, List<Generation.Choice> choices) {
        int completion = 0;
        for (Generation.Choice choice : choices) {
            completion += tokenizer.count(choice.content());
            for (ToolCall c : choice.toolCalls()) {
                completion += tokenizer.count(c.name()) + tokenizer.count(c.arguments());
            }
        }
        return new TokenUsage(tokenizer.countPrompt(request.messages()), 0, completion, true);
    }

    /** A choice's index; 0 when a lax OpenAI-compatible server leaves it out (it then serves one choice). */
    private static int index(JsonField<Long> index) {
        return Math.toIntExact(index.asKnown().orElse(0L));
    }

    /** An SDK object (a choice's {@code logprobs}) as the JSON OpenAI sent, for the client unchanged. */
    private static JsonNode tree(Object sdkValue) {
        try {
            return TREES.readTree(ObjectMappers.jsonMapper().writeValueAsString(sdkValue));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the SDK could not write its own logprobs", e);
        }
    }

    private static TokenUsage usage(CompletionUsage u) {
        long cached = u.promptTokensDetails().flatMap(CompletionUsage.PromptTokensDetails::cachedTokens).orElse(0L);
        return new TokenUsage(Math.toIntExact(u.promptTokens()), Math.toIntExact(Math.min(cached, u.promptTokens())),
                Math.toIntExact(u.completionTokens()), false);
    }

    /** The neutral request in OpenAI's terms: the one place this adapter translates requests. */
    static ChatCompletionCreateParams params(ProviderRequest request, boolean stream) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(request.model())
                .maxCompletionTokens(request.maxTokens());
        request.messages().forEach(m -> params.addMessage(message(m)));
        if (request.temperature() != null) {
            params.temperature(request.temperature());
        }
        if (request.topP() != null) {
            params.topP(request.topP());
        }
        if (!request.stop().isEmpty()) {
            params.stop(ChatCompletionCreateParams.Stop.ofStrings(request.stop()));
        }
        for (ToolDefinition tool : request.tools()) {
            Map<String, JsonValue> schema = new java.util.LinkedHashMap<>();
            tool.parameters().forEach((k, v) -> schema.put(k, JsonValue.from(v)));
            FunctionDefinition.Builder function = FunctionDefinition.builder().name(tool.name())
                    .parameters(FunctionParameters.builder().putAllAdditionalProperties(schema).build());
            if (tool.description() != null) {
                function.description(tool.description());
            }
            params.addTool(ChatCompletionFunctionTool.builder().function(function.build()).build());
        }
        if (request.toolChoice() != null) {
            params.toolChoice(switch (request.toolChoice()) {
                case "auto" -> ChatCompletionToolChoiceOption.ofAuto(ChatCompletionToolChoiceOption.Auto.AUTO);
                case "none" -> ChatCompletionToolChoiceOption.ofAuto(ChatCompletionToolChoiceOption.Auto.NONE);
                case "required" -> ChatCompletionToolChoiceOption.ofAuto(ChatCompletionToolChoiceOption.Auto.REQUIRED);
                default -> ChatCompletionToolChoiceOption.ofNamedToolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name(request.toolChoice()).build())
                        .build());
            });
        }
        ProviderRequest.Options options = request.options();
        if (options.responseFormat() != null) {
            responseFormat(params, options.responseFormat());
        }
        if (options.seed() != null) {
            params.seed(options.seed());
        }
        if (options.parallelToolCalls() != null) {
            params.parallelToolCalls(options.parallelToolCalls());
        }
        if (options.n() > 1) {
            params.n(options.n());
        }
        if (options.logprobs()) {
            params.logprobs(true);
            if (options.topLogprobs() != null) {
                params.topLogprobs(options.topLogprobs());
            }
        }
        if (stream) {
            params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        }
        return params.build();
    }

    private static ChatCompletionMessageParam message(ProviderMessage m) {
        return switch (m.role()) {
            case "system" -> ChatCompletionMessageParam.ofSystem(
                    ChatCompletionSystemMessageParam.builder().content(m.content()).build());
            case "developer" -> ChatCompletionMessageParam.ofDeveloper(
                    ChatCompletionDeveloperMessageParam.builder().content(m.content()).build());
            case "assistant" -> {
                ChatCompletionAssistantMessageParam.Builder assistant = ChatCompletionAssistantMessageParam.builder();
                if (m.content() != null) {
                    assistant.content(m.content());
                }
                for (ToolCall call : m.toolCalls()) {
                    assistant.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                            .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                    .name(call.name()).arguments(call.arguments()).build())
                            .build());
                }
                yield ChatCompletionMessageParam.ofAssistant(assistant.build());
            }
            case "tool" -> ChatCompletionMessageParam.ofTool(ChatCompletionToolMessageParam.builder()
                    .toolCallId(m.toolCallId() == null ? "" : m.toolCallId()).content(m.content()).build());
            default -> {
                ChatCompletionUserMessageParam.Builder user = ChatCompletionUserMessageParam.builder();
                if (m.parts().isEmpty()) {
                    user.content(m.content());
                } else {
                    user.contentOfArrayOfContentParts(m.parts().stream().map(OpenAiChatProvider::part).toList());
                }
                if (m.name() != null) {
                    user.name(m.name());
                }
                yield ChatCompletionMessageParam.ofUser(user.build());
            }
        };
    }

    /** {@code json_object}, or {@code json_schema} with its name, strictness and schema as the caller sent them. */
    @SuppressWarnings("unchecked")
    private static void responseFormat(ChatCompletionCreateParams.Builder params, ResponseFormat format) {
        if (format.type() != ResponseFormat.Type.JSON_SCHEMA) {
            params.responseFormat(ResponseFormatJsonObject.builder().build());
            return;
        }
        ResponseFormatJsonSchema.JsonSchema.Builder spec = ResponseFormatJsonSchema.JsonSchema.builder()
                .name(format.name()).strict(format.strict());
        if (format.schema() != null) {
            Map<String, JsonValue> schema = new java.util.LinkedHashMap<>();
            TREES.treeToValue(format.schema(), Map.class).forEach((k, v) -> schema.put((String) k, JsonValue.from(v)));
            spec.schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder().putAllAdditionalProperties(schema).build());
        }
        params.responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(spec.build()).build());
    }

    private static ChatCompletionContentPart part(ContentPart part) {
        return switch (part.kind()) {
            case TEXT -> ChatCompletionContentPart.ofText(
                    ChatCompletionContentPartText.builder().text(part.text()).build());
            case IMAGE -> ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                    .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(part.url())
                            .detail(ChatCompletionContentPartImage.ImageUrl.Detail.of(part.detail())).build())
                    .build());
            case FILE -> {
                var file = ChatCompletionContentPart.File.FileObject.builder();
                if (part.url() != null) {
                    file.fileData(part.url());
                }
                if (part.detail() != null) {
                    file.fileId(part.detail());
                }
                if (part.name() != null) {
                    file.filename(part.name());
                }
                yield ChatCompletionContentPart.ofFile(
                        ChatCompletionContentPart.File.builder().file(file.build()).build());
            }
            case AUDIO -> ChatCompletionContentPart.ofInputAudio(ChatCompletionContentPartInputAudio.builder()
                    .inputAudio(ChatCompletionContentPartInputAudio.InputAudio.builder().data(part.url())
                            .format(ChatCompletionContentPartInputAudio.InputAudio.Format.of(part.detail())).build())
                    .build());
        };
    }

    /** One choice of a stream as it arrives; its {@code logprobs.content} (and refusal) tokens are collected in order. */
    private static final class PartialChoice {
        final StringBuilder content = new StringBuilder();
        final Map<Long, PartialToolCall> toolCalls = new TreeMap<>();
        String finishReason;
        ObjectNode logprobs;

        void logprobs(JsonNode piece) {
            if (piece == null || !piece.isObject()) {
                return;
            }
            if (logprobs == null) {
                logprobs = TREES.createObjectNode();
            }
            for (String field : List.of("content", "refusal")) {
                if (piece.path(field).isArray()) {
                    JsonNode have = logprobs.get(field);
                    ArrayNode tokens = have instanceof ArrayNode a ? a : logprobs.putArray(field);
                    tokens.addAll((ArrayNode) piece.get(field));
                } else if (!logprobs.has(field)) {
                    logprobs.putNull(field);
                }
            }
        }
    }

    private static final class PartialToolCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}

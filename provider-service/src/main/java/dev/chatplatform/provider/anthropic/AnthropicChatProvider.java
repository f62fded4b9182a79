package dev.chatplatform.provider.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoice;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolChoiceNone;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.Usage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.chatplatform.kit.openai.ContentPart;
import dev.chatplatform.provider.upstream.ChatProvider;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Speaks Anthropic's Messages API through the official SDK. System messages become the {@code system}
 * parameter; consecutive messages of one role are merged (Anthropic requires alternation); tool results
 * travel as user {@code tool_result} blocks. Usage comes from {@code message_start} (input, cache reads)
 * and {@code message_delta} (output); cache reads are reported as cached prompt tokens.
 */
public class AnthropicChatProvider implements ChatProvider {

    public static final String NAME = "anthropic";

    private final AnthropicClient client;
    private final Tokenizer tokenizer;

    public AnthropicChatProvider(AnthropicClient client, Tokenizer tokenizer) {
        this.client = client;
        this.tokenizer = tokenizer;
    }

    /** {@code parallel_tool_calls: false} is Anthropic's {@code disable_parallel_tool_use}. */
    @Override
    public Set<String> supportedParameters() {
        return Set.of("parallel_tool_calls");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Generation generate(ProviderRequest request, GenerationObserver observer) throws IOException {
        try {
            return observer == GenerationObserver.IGNORE ? complete(request) : stream(request, observer);
        } catch (AnthropicServiceException e) {
            String retryAfter = e.headers().values("retry-after").stream().findFirst().orElse(null);
            throw new UpstreamException(NAME, e.statusCode(), UpstreamException.parseRetryAfter(retryAfter),
                    e.statusCode() == 529 ? "overloaded" : UpstreamException.classify(e.statusCode()),
                    "anthropic answered " + e.statusCode() + ": " + e.getMessage(), e);
        } catch (AnthropicIoException e) {
            throw new UpstreamException(NAME, 0, null, "connection", "anthropic could not be reached: " + e.getMessage(), e);
        } catch (AnthropicException e) {
            throw new UpstreamException(NAME, 0, null, "malformed_response", "anthropic sent an unreadable answer: "
                    + e.getMessage(), e);
        }
    }

    private Generation complete(ProviderRequest request) {
        Message message = client.messages().create(params(request));
        StringBuilder content = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (ContentBlock block : message.content()) {
            block.text().ifPresent(t -> content.append(t.text()));
            block.toolUse().ifPresent(t -> calls.add(new ToolCall(t.id(), t.name(), json(t._input()))));
        }
        Usage u = message.usage();
        int cached = Math.toIntExact(u.cacheReadInputTokens().orElse(0L));
        int created = Math.toIntExact(u.cacheCreationInputTokens().orElse(0L));
        TokenUsage usage = new TokenUsage(Math.toIntExact(u.inputTokens()) + cached + created, cached,
                Math.toIntExact(u.outputTokens()), false);
        return new Generation(content.toString(), finishReason(message.stopReason().map(r -> r.asString()).orElse(null)),
                usage, calls);
    }

    private Generation stream(ProviderRequest request, GenerationObserver observer) throws IOException {
        TokenUsage soFar = new TokenUsage(tokenizer.countPrompt(request.messages()), 0, 0, true);
        boolean reportedInput = false;
        StringBuilder content = new StringBuilder();
        Map<Long, ToolCall> toolStarts = new TreeMap<>();
        Map<Long, StringBuilder> toolArguments = new TreeMap<>();
        String stopReason = null;
        boolean stopped = false;
        boolean started = false;
        try (StreamResponse<RawMessageStreamEvent> events = client.messages().createStreaming(params(request))) {
            for (RawMessageStreamEvent event : (Iterable<RawMessageStreamEvent>) events.stream()::iterator) {
                if (event.isMessageStart()) {
                    Usage u = event.asMessageStart().message().usage();
                    int cached = Math.toIntExact(u.cacheReadInputTokens().orElse(0L));
                    int created = Math.toIntExact(u.cacheCreationInputTokens().orElse(0L));
                    soFar = new TokenUsage(Math.toIntExact(u.inputTokens()) + cached + created, cached,
                            Math.toIntExact(u.outputTokens()), false);
                    reportedInput = true;
                }
                if (!started) {
                    observer.started(soFar);
                    started = true;
                }
                if (event.isContentBlockStart()) {
                    var start = event.asContentBlockStart();
                    var toolUse = start.contentBlock().toolUse();
                    if (toolUse.isPresent()) {
                        // OpenAI numbers the calls, Anthropic the content blocks (text ones too)
                        toolStarts.put(start.index(), new ToolCall(toolUse.get().id(), toolUse.get().name(), null));
                        toolArguments.put(start.index(), new StringBuilder());
                        observer.toolCallDelta(ToolCallDelta.start(toolStarts.size() - 1, toolUse.get().id(),
                                toolUse.get().name()), soFar);
                    }
                } else if (event.isContentBlockDelta()) {
                    var delta = event.asContentBlockDelta();
                    if (delta.delta().inputJson().isPresent()) {
                        String piece = delta.delta().inputJson().get().partialJson();
                        toolArguments.computeIfAbsent(delta.index(), i -> new StringBuilder()).append(piece);
                        int ordinal = new ArrayList<>(toolStarts.keySet()).indexOf(delta.index());
                        if (ordinal >= 0 && !piece.isEmpty()) {
                            observer.toolCallDelta(ToolCallDelta.arguments(ordinal, piece), soFar);
                        }
                    }
                    String piece = delta.delta().text().map(t -> t.text()).orElse("");
                    if (!piece.isEmpty()) {
                        content.append(piece);
                        soFar = new TokenUsage(soFar.promptTokens(), soFar.cachedTokens(),
                                soFar.completionTokens() + tokenizer.count(piece), true);
                        observer.delta(piece, soFar);
                    }
                } else if (event.isMessageDelta()) {
                    var delta = event.asMessageDelta();
                    stopReason = delta.delta().stopReason().map(r -> r.asString()).orElse(stopReason);
                    soFar = new TokenUsage(soFar.promptTokens(), soFar.cachedTokens(),
                            Math.toIntExact(delta.usage().outputTokens()), !reportedInput);
                } else if (event.isMessageStop()) {
                    stopped = true;
                }
            }
        }
        if (!stopped) {
            throw new UpstreamException(NAME, 0, null, "stream_cut", "anthropic ended the stream before message_stop", null);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (var start : toolStarts.entrySet()) {
            String arguments = toolArguments.get(start.getKey()).toString();
            if (arguments.isEmpty()) {
                // a call without input: its arguments are "{}", and the streamed pieces must add up to them
                arguments = "{}";
                observer.toolCallDelta(ToolCallDelta.arguments(calls.size(), arguments), soFar);
            }
            calls.add(new ToolCall(start.getValue().id(), start.getValue().name(), arguments));
        }
        return new Generation(content.toString(), finishReason(stopReason), soFar, calls);
    }

    private static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /** The neutral request in Anthropic's terms: the one place this adapter translates requests. */
    static MessageCreateParams params(ProviderRequest request) {
        MessageCreateParams.Builder params = MessageCreateParams.builder()
                .model(request.model())
                .maxTokens(request.maxTokens());
        if (request.systemPrompt() != null) {
            params.system(request.systemPrompt());
        }
        if (request.temperature() != null) {
            // Anthropic's range is 0..1, OpenAI's 0..2
            params.temperature(Math.min(1.0, request.temperature() / 2.0));
        }
        if (request.topP() != null) {
            params.topP(request.topP());
        }
        if (!request.stop().isEmpty()) {
            params.stopSequences(request.stop());
        }
        for (ToolDefinition tool : request.tools()) {
            Tool.InputSchema.Builder schema = Tool.InputSchema.builder();
            tool.parameters().forEach((k, v) -> {
                if (!"type".equals(k)) {
                    schema.putAdditionalProperty(k, JsonValue.from(v));
                }
            });
            Tool.Builder t = Tool.builder().name(tool.name()).inputSchema(schema.build());
            if (tool.description() != null) {
                t.description(tool.description());
            }
            params.addTool(t.build());
        }
        Boolean parallel = request.options().parallelToolCalls();
        if ((request.toolChoice() != null || parallel != null) && !request.tools().isEmpty()) {
            String choice = request.toolChoice() == null ? "auto" : request.toolChoice();
            params.toolChoice(switch (choice) {
                case "auto" -> ToolChoice.ofAuto(ToolChoiceAuto.builder()
                        .disableParallelToolUse(Boolean.FALSE.equals(parallel)).build());
                case "none" -> ToolChoice.ofNone(ToolChoiceNone.builder().build());
                case "required" -> ToolChoice.ofAny(ToolChoiceAny.builder()
                        .disableParallelToolUse(Boolean.FALSE.equals(parallel)).build());
                default -> ToolChoice.ofTool(ToolChoiceTool.builder().name(choice).build());
            });
        }
        mergedTurns(request.messages()).forEach(params::addMessage);
        return params.build();
    }

    private static List<MessageParam> mergedTurns(List<ProviderMessage> messages) {
        List<MessageParam> turns = new ArrayList<>();
        MessageParam.Role role = null;
        List<ContentBlockParam> blocks = new ArrayList<>();
        for (ProviderMessage m : messages) {
            if (m.instructions()) {
                continue; // in the system prompt
            }
            MessageParam.Role next = "assistant".equals(m.role()) ? MessageParam.Role.ASSISTANT : MessageParam.Role.USER;
            if (role != null && next != role) {
                turns.add(MessageParam.builder().role(role).contentOfBlockParams(blocks).build());
                blocks = new ArrayList<>();
            }
            role = next;
            if ("tool".equals(m.role())) {
                blocks.add(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(m.toolCallId() == null ? "" : m.toolCallId()).content(m.content()).build()));
                continue;
            }
            if (!m.parts().isEmpty()) {
                for (ContentPart part : m.parts()) {
                    blocks.add(block(part));
                }
            } else if (m.content() != null && !m.content().isEmpty()) {
                blocks.add(ContentBlockParam.ofText(TextBlockParam.builder().text(m.content()).build()));
            }
            for (ToolCall call : m.toolCalls()) {
                Map<String, JsonValue> input = new LinkedHashMap<>();
                parseArguments(call.arguments()).forEach((k, v) -> input.put(k, JsonValue.from(v)));
                blocks.add(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id(call.id()).name(call.name())
                        .input(ToolUseBlockParam.Input.builder().putAllAdditionalProperties(input).build()).build()));
            }
        }
        if (role != null) {
            turns.add(MessageParam.builder().role(role).contentOfBlockParams(blocks).build());
        }
        return turns;
    }

    /** A text or image part (the catalog gives Anthropic's models no file or audio input). */
    private static ContentBlockParam block(ContentPart part) {
        if (part.kind() == ContentPart.Kind.TEXT) {
            return ContentBlockParam.ofText(TextBlockParam.builder().text(part.text()).build());
        }
        if (part.kind() != ContentPart.Kind.IMAGE) {
            throw new IllegalArgumentException("Anthropic's models take no " + part.kind().modality() + " input here");
        }
        ImageBlockParam.Builder image = ImageBlockParam.builder();
        if (part.dataBase64() != null) {
            image.source(Base64ImageSource.builder().mediaType(Base64ImageSource.MediaType.of(part.dataMediaType()))
                    .data(part.dataBase64()).build());
        } else {
            image.urlSource(part.url());
        }
        return ContentBlockParam.ofImage(image.build());
    }

    private static Map<String, Object> parseArguments(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Map.of();
        }
        try {
            return ObjectMappers.jsonMapper().readValue(arguments, new TypeReference<Map<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            return Map.of("arguments", arguments);
        }
    }

    private static String json(JsonValue value) {
        try {
            return ObjectMappers.jsonMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}

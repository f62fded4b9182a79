package dev.chatplatform.provider.completion;

import dev.chatplatform.kit.openai.ChatCompletionRequest;
import dev.chatplatform.kit.openai.ChatMessage;
import dev.chatplatform.kit.openai.ContentPart;
import dev.chatplatform.kit.openai.FunctionTool;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.ErrorCode;
import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.routing.RouteTarget;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.ToolCall;
import dev.chatplatform.provider.upstream.ToolDefinition;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAI request in the providers' neutral terms, and the one check of what a model can honour: its input
 * modalities (catalog) and the optional parameters its provider supports ({@code ChatProvider.supportedParameters()}).
 */
final class ProviderRequests {

    private static final JsonMapper TREES = JsonMapper.builder().build();

    private ProviderRequests() {
    }

    static List<ProviderMessage> messages(ChatCompletionRequest request) {
        return request.messages().stream().map(ProviderRequests::message).toList();
    }

    static ProviderRequest of(ChatCompletionRequest request, List<ProviderMessage> messages, String upstreamModel,
                              int maxTokens) {
        var format = request.responseFormat() != null && request.responseFormat().json() ? request.responseFormat() : null;
        return new ProviderRequest(upstreamModel, messages, maxTokens, request.stop(), request.temperature(),
                request.topP(), tools(request.tools()), request.toolChoice(),
                new ProviderRequest.Options(format, request.seed(), request.parallelToolCalls(),
                        request.n() == null ? 1 : request.n(), request.logprobs(), request.topLogprobs()));
    }

    /**
     * The deployments that can serve the request as asked: their model takes every input modality it uses and their
     * provider supports every optional parameter it sets. None: 400 naming the model and what it cannot do, so a
     * request is never answered with part of it silently dropped.
     */
    static List<RouteTarget> capable(ChatCompletionRequest request, Model requested, List<RouteTarget> targets,
                                     ProviderRegistry providers) {
        Set<String> modalities = request.inputModalities();
        Set<String> parameters = request.optionalParameters();
        List<RouteTarget> capable = targets.stream()
                .filter(t -> t.model().model().inputModalities().containsAll(modalities))
                .filter(t -> providers.find(t.provider()).map(p -> p.supportedParameters().containsAll(parameters))
                        .orElse(false))
                .toList();
        if (!capable.isEmpty() || targets.isEmpty()) {
            return capable;
        }
        for (String modality : modalities) {
            if (!requested.inputModalities().contains(modality)) {
                throw new ApiException(ErrorCode.UNSUPPORTED_CONTENT, "The model '" + requested.id() + "' does not take "
                        + modality + " input (it takes " + String.join(", ", requested.inputModalities())
                        + "); see input_modalities in /v1/models.", "messages");
            }
        }
        RouteTarget first = targets.getFirst();
        Set<String> supported = providers.find(first.provider()).map(p -> p.supportedParameters()).orElse(Set.of());
        String refused = parameters.stream().filter(p -> !supported.contains(p)).findFirst()
                .orElse(parameters.isEmpty() ? "model" : parameters.iterator().next());
        throw new ApiException(ErrorCode.UNSUPPORTED_PARAMETER, "The parameter '" + refused
                + "' is not supported by the model '" + requested.id() + "'" + detail(refused) + ".", refused);
    }

    private static String detail(String parameter) {
        return switch (parameter) {
            case "response_format" -> ": its answers cannot be constrained to JSON here";
            case "n" -> ": only one choice per request (n = 1) is served";
            default -> "";
        };
    }

    private static ProviderMessage message(ChatMessage m) {
        boolean media = m.content().stream().anyMatch(p -> p.kind() != ContentPart.Kind.TEXT);
        List<ToolCall> calls = m.toolCalls().stream().map(c -> new ToolCall(c.id(), c.name(), c.arguments())).toList();
        return new ProviderMessage(m.role(), m.text(), m.name(), m.toolCallId(), calls, media ? m.content() : List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<ToolDefinition> tools(List<FunctionTool> tools) {
        List<ToolDefinition> definitions = new ArrayList<>(tools.size());
        for (FunctionTool tool : tools) {
            Map<String, Object> schema = tool.parameters() == null ? null : TREES.treeToValue(tool.parameters(), Map.class);
            definitions.add(new ToolDefinition(tool.name(), tool.description(), schema));
        }
        return definitions;
    }
}

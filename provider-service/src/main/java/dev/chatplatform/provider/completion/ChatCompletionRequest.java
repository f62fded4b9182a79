package dev.chatplatform.provider.completion;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ToolCall;
import dev.chatplatform.provider.upstream.ToolDefinition;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI's chat completion request, as far as this platform reads it. Wrong JSON types fail while parsing
 * (the kit answers 400 naming the field); {@link #validate()} checks the rest and names the parameter too.
 * Tools ({@code tools}, {@code tool_choice}, assistant {@code tool_calls}, tool messages) are translated
 * for every provider. Fields we do not use (response_format, seed, ...) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionRequest(
        String model,
        List<ChatMessage> messages,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        Integer n,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        JsonNode stop,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        String user,
        JsonNode tools,
        @JsonProperty("tool_choice") JsonNode toolChoice) {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final int MAX_STOP_SEQUENCES = 4;
    private static final JsonMapper TREES = JsonMapper.builder().build();

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChatMessage(String role, JsonNode content, String name,
                              @JsonProperty("tool_call_id") String toolCallId,
                              @JsonProperty("tool_calls") List<ToolCallRequest> toolCalls) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolCallRequest(String id, String type, FunctionCall function) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionCall(String name, String arguments) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    /** @throws ApiException 400 naming the first offending parameter */
    void validate() {
        if (model == null || model.isBlank()) {
            throw missing("model");
        }
        if (messages == null) {
            throw missing("messages");
        }
        if (messages.isEmpty()) {
            throw invalid("messages", "'messages' must contain at least one message.");
        }
        for (int i = 0; i < messages.size(); i++) {
            validateMessage(i, messages.get(i));
        }
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw invalid("temperature", "'temperature' must be between 0 and 2, got " + temperature + ".");
        }
        if (topP != null && (topP < 0 || topP > 1)) {
            throw invalid("top_p", "'top_p' must be between 0 and 1, got " + topP + ".");
        }
        if (n != null && n != 1) {
            throw invalid("n", "Only n=1 is supported, got " + n + ".");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw invalid("max_tokens", "'max_tokens' must be at least 1, got " + maxTokens + ".");
        }
        if (maxCompletionTokens != null && maxCompletionTokens < 1) {
            throw invalid("max_completion_tokens", "'max_completion_tokens' must be at least 1, got "
                    + maxCompletionTokens + ".");
        }
        stopSequences();
        toolDefinitions();
        toolChoiceName();
    }

    /** The functions the model may call: {@code [{"type":"function","function":{"name","description","parameters"}}]}. */
    List<ToolDefinition> toolDefinitions() {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw invalid("tools", "'tools' must be an array of {\"type\":\"function\",\"function\":{...}}.");
        }
        List<ToolDefinition> definitions = new ArrayList<>();
        int i = 0;
        for (JsonNode tool : tools.values()) {
            String at = "tools[" + i++ + "]";
            JsonNode function = tool.get("function");
            if (!tool.isObject() || !"function".equals(tool.path("type").asString(null)) || function == null
                    || !function.isObject() || !function.path("name").isString()) {
                throw invalid(at, "'" + at + "' must be {\"type\":\"function\",\"function\":{\"name\":...}}.");
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw invalid(at + ".function.parameters", "'" + at + ".function.parameters' must be a JSON Schema object.");
            }
            Map<String, Object> schema = parameters == null || parameters.isNull() ? null
                    : TREES.treeToValue(parameters, Map.class);
            JsonNode description = function.get("description");
            definitions.add(new ToolDefinition(function.get("name").stringValue(),
                    description != null && description.isString() ? description.stringValue() : null, schema));
        }
        return definitions;
    }

    /** "auto", "none", "required", a function name, or null when not set. */
    String toolChoiceName() {
        if (toolChoice == null || toolChoice.isNull()) {
            return null;
        }
        if (toolChoice.isString() && Set.of("auto", "none", "required").contains(toolChoice.stringValue())) {
            return toolChoice.stringValue();
        }
        JsonNode name = toolChoice.path("function").path("name");
        if (toolChoice.isObject() && name.isString()) {
            return name.stringValue();
        }
        throw invalid("tool_choice", "'tool_choice' must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":...}}.");
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    /** max_completion_tokens wins over the older max_tokens, as in OpenAI's API; null when neither is set. */
    Integer requestedMaxTokens() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    String maxTokensParam() {
        return maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens";
    }

    List<String> stopSequences() {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isString()) {
            return List.of(stop.stringValue());
        }
        if (stop.isArray() && stop.size() <= MAX_STOP_SEQUENCES) {
            List<String> sequences = new ArrayList<>();
            for (JsonNode s : stop.values()) {
                if (!s.isString()) {
                    throw invalid("stop", "'stop' must be a string or an array of up to 4 strings.");
                }
                sequences.add(s.stringValue());
            }
            return sequences;
        }
        throw invalid("stop", "'stop' must be a string or an array of up to 4 strings.");
    }

    List<ProviderMessage> providerMessages() {
        return messages.stream()
                .map(m -> new ProviderMessage(m.role(), m.content() == null || m.content().isNull() ? null
                        : text(m.content()), m.name(), m.toolCallId(), toolCalls(m)))
                .toList();
    }

    private static List<ToolCall> toolCalls(ChatMessage m) {
        if (m.toolCalls() == null) {
            return List.of();
        }
        return m.toolCalls().stream().filter(c -> c != null && c.function() != null)
                .map(c -> new ToolCall(c.id(), c.function().name(), c.function().arguments()))
                .toList();
    }

    private static void validateMessage(int i, ChatMessage m) {
        String at = "messages[" + i + "]";
        if (m == null) {
            throw invalid(at, "'" + at + "' must be an object with 'role' and 'content'.");
        }
        if (m.role() == null) {
            throw missing(at + ".role");
        }
        if (!ROLES.contains(m.role())) {
            throw invalid(at + ".role", "'" + at + ".role' must be one of system, user, assistant, tool; got '"
                    + m.role() + "'.");
        }
        boolean callsTools = m.toolCalls() != null && !m.toolCalls().isEmpty();
        if (callsTools && !"assistant".equals(m.role())) {
            throw invalid(at + ".tool_calls", "Only assistant messages may carry 'tool_calls'.");
        }
        if (callsTools && (m.content() == null || m.content().isNull())) {
            return;
        }
        if (m.content() == null || m.content().isNull() || m.content().isMissingNode()) {
            throw missing(at + ".content");
        }
        if (text(m.content()) == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                    "invalid_type", "'" + at + ".content' must be a string or an array of {\"type\":\"text\",\"text\":...} parts.",
                    at + ".content");
        }
    }

    /** The text of a string content or of an array of text parts; null for anything else. */
    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        if (!content.isArray()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content.values()) {
            JsonNode type = part.get("type");
            JsonNode value = part.get("text");
            if (!part.isObject() || type == null || !"text".equals(type.asString(null)) || value == null
                    || !value.isString()) {
                return null;
            }
            text.append(value.stringValue());
        }
        return text.toString();
    }

    private static ApiException missing(String param) {
        return ApiException.invalid("missing_parameter", "Missing required parameter '" + param + "'.", param);
    }

    private static ApiException invalid(String param, String message) {
        return ApiException.invalid("invalid_value", message, param);
    }
}

package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.ErrorCode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenAI's Chat Completions request, the one model of it on the platform: chat-service checks it before holding
 * budget, provider-service before calling a model, both with {@link #parse}, so a request is refused the same way
 * wherever it is refused. The parameters a model may not support ({@code response_format}, {@code n > 1},
 * {@code logprobs}, {@code seed}, {@code parallel_tool_calls}, image/file/audio parts) are accepted here; whether the
 * chosen model honours them is provider-service's call ({@link #optionalParameters()}).
 *
 * @param maxTokens         {@code max_tokens}, or null; values above {@code Integer.MAX_VALUE} are clamped to it
 * @param stop              up to 4 sequences (a string {@code stop} is one)
 * @param toolChoice        null (provider default), {@code auto}, {@code none}, {@code required} or a function name
 * @param responseFormat    null when not set
 * @param n                 null when not set
 * @param topLogprobs       null when not set; only with {@code logprobs: true}
 * @param body              the request as the caller sent it (fields no one here reads travel on untouched)
 */
public record ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream, boolean includeUsage,
                                    Double temperature, Double topP, Integer maxTokens, Integer maxCompletionTokens,
                                    List<String> stop, List<FunctionTool> tools, String toolChoice,
                                    ResponseFormat responseFormat, Integer n, boolean logprobs, Integer topLogprobs,
                                    Long seed, Boolean parallelToolCalls, ObjectNode body) {

    public static final List<String> ROLES = List.of("developer", "system", "user", "assistant", "tool");
    public static final int MAX_STOP_SEQUENCES = 4;
    static final int MAX_CHOICES = 128;
    static final int MAX_TOP_LOGPROBS = 20;

    public ChatCompletionRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
        tools = List.copyOf(tools);
    }

    /**
     * Reads and checks a request the way OpenAI does: the first problem found is a 400 naming the parameter
     * ({@code messages[1].role}) with OpenAI's code. Unknown fields are ignored; an explicit {@code null} counts as
     * absent for optional parameters.
     *
     * @throws ApiException 400 naming the first offending parameter
     */
    public static ChatCompletionRequest parse(JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            throw Checks.invalid(ErrorCode.INVALID_TYPE, "The request body must be a JSON object, but got "
                    + Checks.typeName(body) + " instead.", null);
        }
        String model = Checks.requiredString(body, "model");
        List<ChatMessage> messages = Messages.read(body.get("messages"));
        Double temperature = Checks.decimal(body, "temperature", 0, 2);
        Double topP = Checks.decimal(body, "top_p", 0, 1);
        Integer maxTokens = Checks.integer(body, "max_tokens", 1, null);
        Integer maxCompletionTokens = Checks.integer(body, "max_completion_tokens", 1, null);
        Integer n = Checks.integer(body, "n", 1, (long) MAX_CHOICES);
        boolean stream = Boolean.TRUE.equals(Checks.bool(body, "stream", "stream"));
        boolean includeUsage = streamOptions(body, stream);
        List<String> stop = stop(body.get("stop"));
        List<FunctionTool> tools = Tools.definitions(body.get("tools"));
        String toolChoice = Tools.choice(body.get("tool_choice"), tools);
        ResponseFormat responseFormat = Formats.read(body.get("response_format"));
        boolean logprobs = Boolean.TRUE.equals(Checks.bool(body, "logprobs", "logprobs"));
        Integer topLogprobs = Checks.integer(body, "top_logprobs", 0, (long) MAX_TOP_LOGPROBS);
        if (topLogprobs != null && !logprobs) {
            throw Checks.invalid(ErrorCode.INVALID_VALUE,
                    "Invalid 'top_logprobs': it may only be set when 'logprobs' is true.", "top_logprobs");
        }
        Long seed = Checks.longInteger(body, "seed");
        Boolean parallelToolCalls = Checks.bool(body, "parallel_tool_calls", "parallel_tool_calls");
        return new ChatCompletionRequest(model, messages, stream, includeUsage, temperature, topP, maxTokens,
                maxCompletionTokens, stop, tools, toolChoice, responseFormat, n, logprobs, topLogprobs, seed,
                parallelToolCalls, object);
    }

    /** The same request for another model (what {@code model: "auto"} chose): {@link #body()} names it too. */
    public ChatCompletionRequest withModel(String chosen) {
        ObjectNode renamed = body.deepCopy();
        renamed.put("model", chosen);
        return new ChatCompletionRequest(chosen, messages, stream, includeUsage, temperature, topP, maxTokens,
                maxCompletionTokens, stop, tools, toolChoice, responseFormat, n, logprobs, topLogprobs, seed,
                parallelToolCalls, renamed);
    }

    /** {@code max_completion_tokens} wins over the older {@code max_tokens}, as in OpenAI's API; null when neither is set. */
    public Integer requestedMaxTokens() {
        return maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
    }

    /** The name of the parameter {@link #requestedMaxTokens()} came from. */
    public String maxTokensParam() {
        return maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens";
    }

    /**
     * The parameters this request sets that not every model supports, by their wire names ({@code response_format}
     * only when it asks for JSON, {@code n} only above 1): what provider-service checks against the chosen model.
     */
    public Set<String> optionalParameters() {
        Set<String> set = new LinkedHashSet<>();
        if (responseFormat != null && responseFormat.json()) {
            set.add("response_format");
        }
        if (n != null && n > 1) {
            set.add("n");
        }
        if (logprobs) {
            set.add("logprobs");
        }
        if (seed != null) {
            set.add("seed");
        }
        if (parallelToolCalls != null) {
            set.add("parallel_tool_calls");
        }
        return set;
    }

    /** The input modalities the messages need ({@code text} always, {@code image}, {@code file}, {@code audio}). */
    public Set<String> inputModalities() {
        Set<String> modalities = new LinkedHashSet<>(List.of("text"));
        messages.forEach(m -> modalities.addAll(m.modalities()));
        return modalities;
    }

    private static boolean streamOptions(JsonNode body, boolean stream) {
        JsonNode options = body.get("stream_options");
        if (Checks.absent(options)) {
            return false;
        }
        if (!options.isObject()) {
            throw Checks.wrongType("stream_options", "an object", options);
        }
        boolean includeUsage = Boolean.TRUE.equals(Checks.bool(options, "include_usage", "stream_options.include_usage"));
        if (!stream) {
            throw Checks.invalid(ErrorCode.INVALID_VALUE,
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
        }
        return includeUsage;
    }

    private static List<String> stop(JsonNode stop) {
        if (Checks.absent(stop)) {
            return List.of();
        }
        if (stop.isString()) {
            return List.of(stop.stringValue());
        }
        if (!stop.isArray()) {
            throw Checks.wrongType("stop", "a string or an array of strings", stop);
        }
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw Checks.invalid(ErrorCode.ARRAY_ABOVE_MAX_LENGTH, "Invalid 'stop': array too long. Expected an "
                    + "array with maximum length " + MAX_STOP_SEQUENCES + ", but got an array with length "
                    + stop.size() + " instead.", "stop");
        }
        List<String> sequences = new ArrayList<>();
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isString()) {
                throw Checks.wrongType("stop[" + i + "]", "a string", stop.get(i));
            }
            sequences.add(stop.get(i).stringValue());
        }
        return sequences;
    }
}

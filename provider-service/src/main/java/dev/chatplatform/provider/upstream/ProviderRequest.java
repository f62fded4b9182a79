package dev.chatplatform.provider.upstream;

import dev.chatplatform.kit.openai.ResponseFormat;

import java.util.List;

/**
 * A validated, provider-neutral chat request.
 *
 * @param model             the upstream model name
 * @param maxTokens         hard cap on completion tokens (already clamped to the model's maximum)
 * @param stop              up to 4 sequences that end the answer (empty when none)
 * @param temperature       null when the caller left it to the provider
 * @param topP              null when the caller left it to the provider
 * @param tools             functions the model may call (empty when none)
 * @param toolChoice        null (provider default), "auto", "none", "required", or the name of the one function to call
 * @param options           the optional parameters ({@code response_format}, {@code seed}, {@code parallel_tool_calls},
 *                          {@code n}, {@code logprobs});
 *                          a provider only gets those it declares in {@link ChatProvider#supportedParameters()}
 */
public record ProviderRequest(String model, List<ProviderMessage> messages, int maxTokens, List<String> stop,
                              Double temperature, Double topP, List<ToolDefinition> tools, String toolChoice,
                              Options options) {

    /**
     * @param responseFormat    null or a JSON format ({@code text} is not passed on: it is every model's default)
     * @param seed              null when not set
     * @param parallelToolCalls null when not set
     * @param n                 how many choices to generate (1 unless the caller asked for more)
     * @param logprobs          whether each choice carries the log probabilities of its tokens
     * @param topLogprobs       null, or how many most likely alternatives each token lists (only with logprobs)
     */
    public record Options(ResponseFormat responseFormat, Long seed, Boolean parallelToolCalls, int n, boolean logprobs,
                          Integer topLogprobs) {

        public static final Options NONE = new Options(null, null, null);

        public Options(ResponseFormat responseFormat, Long seed, Boolean parallelToolCalls) {
            this(responseFormat, seed, parallelToolCalls, 1, false, null);
        }
    }

    public ProviderRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
        tools = tools == null ? List.of() : List.copyOf(tools);
        options = options == null ? Options.NONE : options;
    }

    public ProviderRequest(String model, List<ProviderMessage> messages, int maxTokens, List<String> stop,
                           Double temperature, Double topP, List<ToolDefinition> tools, String toolChoice) {
        this(model, messages, maxTokens, stop, temperature, topP, tools, toolChoice, Options.NONE);
    }

    public ProviderRequest(String model, List<ProviderMessage> messages, int maxTokens, List<String> stop,
                           Double temperature, Double topP) {
        this(model, messages, maxTokens, stop, temperature, topP, List.of(), null, Options.NONE);
    }

    /** The same request for another upstream model (a fallback or another deployment). */
    public ProviderRequest withModel(String upstreamModel, int cappedMaxTokens) {
        return new ProviderRequest(upstreamModel, messages, Math.min(maxTokens, cappedMaxTokens), stop, temperature,
                topP, tools, toolChoice, options);
    }

    /** The instructions ({@code system} and {@code developer} messages) joined, for providers that take them apart; null when none. */
    public String systemPrompt() {
        List<String> system = messages.stream().filter(ProviderMessage::instructions).map(ProviderMessage::content).toList();
        return system.isEmpty() ? null : String.join("\n\n", system);
    }
}

package dev.chatplatform.provider.upstream;

import java.util.List;

/**
 * A validated, provider-neutral chat request.
 *
 * @param model       the upstream model name
 * @param maxTokens   hard cap on completion tokens (already clamped to the model's maximum)
 * @param stop        up to 4 sequences that end the answer (empty when none)
 * @param temperature null when the caller left it to the provider
 * @param topP        null when the caller left it to the provider
 * @param tools       functions the model may call (empty when none)
 * @param toolChoice  null (provider default), "auto", "none", "required", or the name of the one function to call
 */
public record ProviderRequest(String model, List<ProviderMessage> messages, int maxTokens, List<String> stop,
                              Double temperature, Double topP, List<ToolDefinition> tools, String toolChoice) {

    public ProviderRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public ProviderRequest(String model, List<ProviderMessage> messages, int maxTokens, List<String> stop,
                           Double temperature, Double topP) {
        this(model, messages, maxTokens, stop, temperature, topP, List.of(), null);
    }

    /** The same request for another upstream model (a fallback or another deployment). */
    public ProviderRequest withModel(String upstreamModel, int cappedMaxTokens) {
        return new ProviderRequest(upstreamModel, messages, Math.min(maxTokens, cappedMaxTokens), stop, temperature,
                topP, tools, toolChoice);
    }

    /** The system messages' text, joined, for providers that take the system prompt apart; null when none. */
    public String systemPrompt() {
        List<String> system = messages.stream().filter(m -> "system".equals(m.role()) || "developer".equals(m.role()))
                .map(ProviderMessage::content).toList();
        return system.isEmpty() ? null : String.join("\n\n", system);
    }
}

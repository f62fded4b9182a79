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
 */
public record ProviderRequest(String model, List<ProviderMessage> messages, int maxTokens, List<String> stop,
                              Double temperature, Double topP) {

    public ProviderRequest {
        messages = List.copyOf(messages);
        stop = List.copyOf(stop);
    }
}

package dev.chatplatform.provider.upstream;

import java.io.IOException;
import java.util.Set;

/**
 * A source of chat completions (the simulated model, OpenAI, Anthropic, ...). Implementations are Spring
 * beans; a catalog model names the one that serves it by {@link #name()}.
 */
public interface ChatProvider {

    /** The provider name models are registered under in the catalog, e.g. "simulated". */
    String name();

    /**
     * Generates one answer. Calls {@link GenerationObserver#started} once before the first piece, then
     * {@link GenerationObserver#delta} for each piece as it is produced, and returns the final result.
     * Stops at once and lets the exception through when the observer throws (the client went away).
     */
    Generation generate(ProviderRequest request, GenerationObserver observer) throws IOException;

    /**
     * The optional request parameters this provider honours, by their wire names ({@code response_format},
     * {@code seed}, {@code parallel_tool_calls}, {@code n}, {@code logprobs}: see
     * {@code ChatCompletionRequest.optionalParameters()}); a request setting another one is refused with 400
     * {@code unsupported_parameter} before any call. None by default.
     */
    default Set<String> supportedParameters() {
        return Set.of();
    }
}

package dev.chatplatform.provider.upstream;

import java.io.IOException;

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
}

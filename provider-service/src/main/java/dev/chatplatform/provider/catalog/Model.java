package dev.chatplatform.provider.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A model callers may ask for by {@code id}.
 *
 * @param provider      the {@code ChatProvider} that serves it ("simulated", later "openai", ...)
 * @param upstreamModel the name the provider knows it by
 */
public record Model(String id, String provider, String upstreamModel, int contextWindow, int maxOutputTokens,
                    List<String> capabilities, Instant createdAt) {

    public Model {
        capabilities = List.copyOf(capabilities);
    }
}

package dev.chatplatform.provider.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A model callers may ask for by {@code id}.
 *
 * @param provider      the {@code ChatProvider} that serves it ("simulated", later "openai", ...)
 * @param upstreamModel the name the provider knows it by
 * @param aliases       other names callers may use for it
 * @param tiers         the account tiers allowed to use it; empty means every tier
 */
public record Model(String id, String provider, String upstreamModel, int contextWindow, int maxOutputTokens,
                    List<String> capabilities, List<String> aliases, List<String> tiers, Instant createdAt) {

    public Model {
        capabilities = List.copyOf(capabilities);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
    }

    public Model(String id, String provider, String upstreamModel, int contextWindow, int maxOutputTokens,
                 List<String> capabilities, Instant createdAt) {
        this(id, provider, upstreamModel, contextWindow, maxOutputTokens, capabilities, List.of(), List.of(), createdAt);
    }

    /** Whether an account of {@code tier} may use this model (no tiers listed: every tier may). */
    public boolean allows(String tier) {
        return tiers.isEmpty() || tier == null || tiers.contains(tier);
    }
}

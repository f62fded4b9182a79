package dev.chatplatform.provider.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A model callers may ask for by {@code id}.
 *
 * @param capabilities  tags of what it does ({@code chat}, {@code streaming}, {@code tools}, ...), among them its input
 *                      modalities beyond text: {@code vision} (images), {@code files} (PDFs and other documents),
 *                      {@code audio} (see {@link #inputModalities()})
 * @param provider      the {@code ChatProvider} that serves it ("simulated", later "openai", ...)
 * @param upstreamModel the name the provider knows it by
 * @param aliases       other names callers may use for it
 * @param tiers         the account tiers allowed to use it; empty means every tier
 * @param fallbacks     model ids tried in order when every deployment of this one failed before answering
 * @param enabled       false takes the model out of service (neither listed nor served)
 */
public record Model(String id, String provider, String upstreamModel, int contextWindow, int maxOutputTokens,
                    List<String> capabilities, List<String> aliases, List<String> tiers, List<String> fallbacks,
                    boolean enabled, Instant createdAt) {

    public Model {
        capabilities = List.copyOf(capabilities);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    public Model(String id, String provider, String upstreamModel, int contextWindow, int maxOutputTokens,
                 List<String> capabilities, Instant createdAt) {
        this(id, provider, upstreamModel, contextWindow, maxOutputTokens, capabilities, List.of(), List.of(), List.of(),
                true, createdAt);
    }

    /**
     * What it takes as input, in OpenAI's content-part terms ({@code text}, {@code image}, {@code file}, {@code audio}):
     * always text, and each further modality its capabilities name.
     */
    public List<String> inputModalities() {
        List<String> modalities = new java.util.ArrayList<>(List.of("text"));
        if (capabilities.contains("vision")) {
            modalities.add("image");
        }
        if (capabilities.contains("files")) {
            modalities.add("file");
        }
        if (capabilities.contains("audio")) {
            modalities.add("audio");
        }
        return modalities;
    }

    /** Whether an account of {@code tier} may use this model (no tiers listed: every tier may). */
    public boolean allows(String tier) {
        return tiers.isEmpty() || tier == null || tiers.contains(tier);
    }
}

package dev.chatplatform.chat.context;

/**
 * What is known of a model before calling it.
 *
 * @param window          its context window in tokens
 * @param maxOutputTokens its maximum answer as provider-service reports it ({@code max_output_tokens}), or null
 * @param price           its price in force as provider-service reports it ({@code pricing}), or null
 * @param kind            {@code chat} or {@code embedding} as provider-service reports it ({@code kind}), or null
 */
public record ModelFacts(int window, Integer maxOutputTokens, Price price, String kind) {

    public ModelFacts(int window, Integer maxOutputTokens, Price price) {
        this(window, maxOutputTokens, price, null);
    }

    /** Whether provider-service reported the model as an embedding model (unknown: not). */
    public boolean embedding() {
        return "embedding".equals(kind);
    }

    /** A model's price in integer micro-USD per million tokens. */
    public record Price(long inputMicroUsdPerMillion, long outputMicroUsdPerMillion) {
    }
}

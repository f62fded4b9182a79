package dev.chatplatform.provider.routing;

import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.upstream.TokenUsage;

import java.util.Map;

/**
 * One deployment to try: the catalog model (with the price its answers are billed at), its provider and upstream
 * name, and the flag variants under which it was planned (tags for the call's {@code llm-calls.v1} event).
 */
public record RouteTarget(PricedModel model, String provider, String upstreamModel, Map<String, String> flagVariants) {

    public RouteTarget {
        flagVariants = flagVariants == null ? Map.of() : Map.copyOf(flagVariants);
    }

    public RouteTarget(PricedModel model, String provider, String upstreamModel) {
        this(model, provider, upstreamModel, Map.of());
    }

    public String modelId() {
        return model.model().id();
    }

    public long cost(TokenUsage usage) {
        return model.price().costMicroUsd(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens());
    }
}

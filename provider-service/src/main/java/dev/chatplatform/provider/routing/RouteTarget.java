package dev.chatplatform.provider.routing;

import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.upstream.TokenUsage;

/** One deployment to try: the catalog model (with the price its answers are billed at), its provider and upstream name. */
public record RouteTarget(PricedModel model, String provider, String upstreamModel) {

    public String modelId() {
        return model.model().id();
    }

    public long cost(TokenUsage usage) {
        return model.price().costMicroUsd(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens());
    }
}

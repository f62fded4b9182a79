package dev.chatplatform.provider.completion;

import dev.chatplatform.provider.auto.AutoSelection;
import dev.chatplatform.provider.cache.CachedAnswer;
import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.routing.CallContext;
import dev.chatplatform.provider.routing.RouteTarget;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;

import java.util.List;

/**
 * A request that passed every check: the requested model and its price, the deployments to try in order
 * (see {@code RoutePlanner}), and the provider-neutral request; what {@code model: "auto"} chose (null when a
 * model was named), the response-cache key (null when the request is not cacheable) and the cached answer
 * found for it (null on a miss).
 */
record PreparedCompletion(String id, long created, PricedModel model, List<RouteTarget> targets,
                          ProviderRequest request, CallContext context, AutoSelection auto, String cacheKey,
                          CachedAnswer cached) {

    PreparedCompletion {
        targets = List.copyOf(targets);
    }

    PreparedCompletion(String id, long created, PricedModel model, List<RouteTarget> targets, ProviderRequest request,
                       CallContext context) {
        this(id, created, model, targets, request, context, null, null, null);
    }

    XPlatform cumulative(RouteTarget target, TokenUsage usage) {
        return new XPlatform(target.provider(), usage.promptTokens(), usage.completionTokens(), target.cost(usage),
                usage.estimated(), target.modelId(), null).with(auto, null);
    }

    XPlatform total(RouteTarget target, TokenUsage usage, int attempts) {
        return new XPlatform(target.provider(), null, null, target.cost(usage), usage.estimated(), target.modelId(),
                attempts).with(auto, null);
    }

    /** Nothing of an answer reached the client: nothing to bill. */
    XPlatform nothing() {
        String provider = targets.isEmpty() ? model.model().provider() : targets.getFirst().provider();
        return new XPlatform(provider, 0, 0, 0, false, model.model().id(), null).with(auto, null);
    }
}

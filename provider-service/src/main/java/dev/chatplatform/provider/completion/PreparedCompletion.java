package dev.chatplatform.provider.completion;

import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;

/** A request that passed every check: the model, its price, its provider, and the provider-neutral request. */
record PreparedCompletion(String id, long created, PricedModel model, ChatProvider provider, ProviderRequest request) {

    XPlatform cumulative(TokenUsage usage) {
        return new XPlatform(provider.name(), usage.promptTokens(), usage.completionTokens(), cost(usage),
                usage.estimated());
    }

    XPlatform total(TokenUsage usage) {
        return new XPlatform(provider.name(), null, null, cost(usage), usage.estimated());
    }

    long cost(TokenUsage usage) {
        return model.price().costMicroUsd(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens());
    }
}

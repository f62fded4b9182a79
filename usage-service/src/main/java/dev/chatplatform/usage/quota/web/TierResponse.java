package dev.chatplatform.usage.quota.web;

import dev.chatplatform.usage.quota.Tier;

import java.time.Instant;
import java.util.List;

record TierResponse(String name, long messagesPerDay, long tokensPerMonth, long costMicroUsdPerMonth,
                    long requestsPerMinute, long tokensPerMinute, List<String> allowedModels, Instant updatedAt) {

    static TierResponse of(Tier t) {
        return new TierResponse(t.name(), t.messagesPerDay(), t.tokensPerMonth(), t.costMicroUsdPerMonth(),
                t.requestsPerMinute(), t.tokensPerMinute(), t.allowedModels(), t.updatedAt());
    }

    record ListResponse(String object, List<TierResponse> data) {
    }
}

package dev.chatplatform.usage.quota.web;

import java.util.List;

/** {@code PUT /api/v1/usage/admin/tiers/{name}}: every field required. Money in integer micro-USD. */
record TierRequest(Long messagesPerDay, Long tokensPerMonth, Long costMicroUsdPerMonth, Long requestsPerMinute,
                   Long tokensPerMinute, List<String> allowedModels) {
}

package dev.chatplatform.usage.quota.web;

import java.util.List;

/**
 * {@code PUT /api/v1/usage/admin/tiers/{name}}: every limit required. Money in integer micro-USD.
 *
 * @param reason why (optional): kept in the audit log with the change
 */
record TierRequest(Long messagesPerDay, Long tokensPerMonth, Long costMicroUsdPerMonth, Long requestsPerMinute,
                   Long tokensPerMinute, List<String> allowedModels, String reason) {
}

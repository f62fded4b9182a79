package dev.chatplatform.usage.quota;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A block of an account's budget leased to one chat-service instance ({@code holder}), which draws each request's
 * worst case from it in memory. See the README, "Budget leases".
 *
 * @param status        open, returned (by its holder), revoked (tier changed: the holder stops drawing and returns
 *                      it) or expired (not returned in time)
 * @param tier          the account's tier when the lease was granted (null when read back)
 * @param allowedModels the models that tier allows (empty when read back)
 * @param limits        that tier's maximum of each limit, by wire name ({@link LimitName}; empty when read back): with
 *                      the tier and the models, the policy the holder compares each {@code quota.v1} state with
 */
public record Lease(String id, String accountId, String holder, Instant monthStart, Instant dayStart, long messages,
                    long tokens, long costMicroUsd, String status, Instant expiresAt, String tier,
                    List<String> allowedModels, Map<String, Long> limits) {
}

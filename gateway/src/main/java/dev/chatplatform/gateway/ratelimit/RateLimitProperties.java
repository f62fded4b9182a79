package dev.chatplatform.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Rate limits at the gateway, under {@code gateway.rate-limits.*}.
 *
 * @param enabled                   false turns every limit off
 * @param defaultRequestsPerMinute  for accounts {@code quota.v1} has not mentioned yet: the seeded free tier's
 * @param defaultTokensPerMinute    likewise, tokens per minute
 * @param keyRequestsPercent        each API key's own requests-per-minute bucket, in percent of its account's
 *                                  (100 = a key may use all of it; lower it so one runaway key cannot starve
 *                                  the account's other keys)
 * @param defaultMaxTokens          output tokens counted for a chat request that names no {@code max_tokens}
 * @param redisUrl                  {@code REDIS_URL}, e.g. {@code redis://redis:6379}; blank = buckets in memory,
 *                                  per replica
 * @param redisKeyPrefix            prefix of the bucket keys in Redis
 * @param redisTimeout              how long a request waits for Redis before this replica decides alone
 */
@ConfigurationProperties("gateway.rate-limits")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") long defaultRequestsPerMinute,
        @DefaultValue("20000") long defaultTokensPerMinute,
        @DefaultValue("100") int keyRequestsPercent,
        @DefaultValue("1024") long defaultMaxTokens,
        @DefaultValue("") String redisUrl,
        @DefaultValue("gateway:rl:") String redisKeyPrefix,
        @DefaultValue("250ms") Duration redisTimeout) {

    public RateLimitProperties {
        if (keyRequestsPercent < 1 || keyRequestsPercent > 100) {
            throw new IllegalArgumentException("gateway.rate-limits.key-requests-percent must be 1-100");
        }
    }

    public boolean redis() {
        return redisUrl != null && !redisUrl.isBlank();
    }
}

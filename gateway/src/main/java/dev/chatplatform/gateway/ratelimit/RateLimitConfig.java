package dev.chatplatform.gateway.ratelimit;

import dev.chatplatform.gateway.edge.ErrorResponses;
import dev.chatplatform.gateway.quota.QuotaView;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class RateLimitConfig {

    /** In Redis when {@code REDIS_URL} is set (shared by every replica), else in this replica's memory. */
    @Bean
    RateLimiter rateLimiter(RateLimitProperties properties, MeterRegistry meters) {
        LocalRateLimiter local = new LocalRateLimiter(System::currentTimeMillis);
        return properties.redis()
                ? new RedisRateLimiter(properties.redisUrl(), properties.redisTimeout(), local, meters)
                : local;
    }

    /** Not in the readiness group: without Redis a replica still limits, in memory. */
    @Bean
    HealthIndicator rateLimitsHealthIndicator(RateLimiter limiter) {
        return () -> limiter instanceof RedisRateLimiter redis
                ? Health.up().withDetail("buckets", "redis")
                        .withDetail("redis", redis.connected() ? "connected" : "unreachable: deciding in memory").build()
                : Health.up().withDetail("buckets", "memory").build();
    }

    @Bean
    RateLimitFilter rateLimitFilter(RateLimiter limiter, QuotaView quotas, JsonMapper json, ErrorResponses errors,
                                    RateLimitProperties properties, MeterRegistry meters) {
        return new RateLimitFilter(limiter, quotas, new TokenEstimator(json, properties.defaultMaxTokens()), errors,
                properties, meters);
    }
}

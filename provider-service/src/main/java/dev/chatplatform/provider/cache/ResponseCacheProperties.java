package dev.chatplatform.provider.cache;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param enabled       false turns the cache off entirely (no lookups, no stores)
 * @param ttl           how long an answer may be replayed
 * @param sweepInterval how often expired rows are deleted (lookups ignore them anyway)
 */
@ConfigurationProperties("provider.cache")
public record ResponseCacheProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration ttl,
                                      @DefaultValue("1m") Duration sweepInterval) {
}

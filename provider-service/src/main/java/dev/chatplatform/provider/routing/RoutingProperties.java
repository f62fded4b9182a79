package dev.chatplatform.provider.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How hard routing tries. Which deployments and fallbacks exist is catalog data (tables {@code models.fallbacks}
 * and {@code model_deployments}); these are the service-wide knobs.
 *
 * @param maxAttemptsPerDeployment calls to one deployment before moving on (1 = no retry)
 * @param maxAttempts              upstream calls for one request across every deployment and fallback
 * @param maxConcurrentCalls       calls in flight per provider; one more is not queued but moves on to the next deployment
 */
@ConfigurationProperties("provider.routing")
public record RoutingProperties(@DefaultValue("3") int maxAttemptsPerDeployment,
                                @DefaultValue("6") int maxAttempts,
                                @DefaultValue("256") int maxConcurrentCalls,
                                @DefaultValue Backoff backoff,
                                @DefaultValue CircuitBreaker circuitBreaker) {

    /**
     * Wait before retry n (1-based): {@code min(max, initial * multiplier^(n-1))}, minus up to {@code jitter}
     * of it at random; a {@code Retry-After} from the provider is waited in full when it is at most
     * {@code maxRetryAfter}, and a longer one sends the request to the next deployment instead.
     */
    public record Backoff(@DefaultValue("200ms") Duration initial, @DefaultValue("2.0") double multiplier,
                          @DefaultValue("5s") Duration max, @DefaultValue("0.5") double jitter,
                          @DefaultValue("10s") Duration maxRetryAfter) {
    }

    /**
     * One breaker per provider, counting server errors, timeouts and broken connections (not 429 or other 4xx).
     *
     * @param waitInOpen how long an open breaker refuses calls before letting {@code halfOpenCalls} probes through
     */
    public record CircuitBreaker(@DefaultValue("50") float failureRateThreshold, @DefaultValue("20") int slidingWindowSize,
                                 @DefaultValue("5") int minimumCalls, @DefaultValue("30s") Duration waitInOpen,
                                 @DefaultValue("2") int halfOpenCalls) {
    }
}

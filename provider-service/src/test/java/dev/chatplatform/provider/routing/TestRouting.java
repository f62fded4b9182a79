package dev.chatplatform.provider.routing;

import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.Price;
import dev.chatplatform.provider.catalog.PricedModel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Test helpers: routing settings with short waits, and ready-made targets. */
public final class TestRouting {

    private TestRouting() {
    }

    /** 3 calls per deployment, 10 ms backoff, breaker: opens after 2 of 2 failures, 300 ms open, 1 probe. */
    public static RoutingProperties fast() {
        return new RoutingProperties(3, 6, 256,
                new RoutingProperties.Backoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(50), 0.5, Duration.ofSeconds(2)),
                new RoutingProperties.CircuitBreaker(50, 2, 2, Duration.ofMillis(300), 1));
    }

    public static RoutingProperties defaults() {
        return new RoutingProperties(3, 6, 256,
                new RoutingProperties.Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(5), 0.5, Duration.ofSeconds(10)),
                new RoutingProperties.CircuitBreaker(50, 20, 5, Duration.ofSeconds(30), 2));
    }

    public static RouteTarget target(String modelId, String provider, long inPrice, long outPrice) {
        return new RouteTarget(new PricedModel(new Model(modelId, provider, modelId, 128_000, 1000, List.of(), Instant.EPOCH),
                new Price(modelId, Instant.EPOCH, inPrice, outPrice, inPrice / 2)), provider, modelId);
    }
}

package dev.chatplatform.rollout.guard;

/**
 * A variant's figures over a window, from one event source.
 *
 * @param costPerRequest mean cost per request in micro-USD, or null when the source carries no cost
 */
public record VariantStats(String source, String variant, long requests, double errorRate, Double p50LatencyMs,
                           Double p95LatencyMs, Double costPerRequest) {
}

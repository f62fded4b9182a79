package dev.chatplatform.gateway.ratelimit;

/**
 * What one request takes from one bucket. Every bucket holds {@code capacity} tokens when full and refills
 * continuously at {@code capacity} per minute.
 *
 * @param key      the bucket (in Redis: the key)
 * @param capacity tokens per minute; 0 refuses everything
 * @param cost     tokens this request takes; more than the capacity counts as the capacity (such a request
 *                 needs a full bucket rather than never passing)
 */
public record Demand(String key, long capacity, long cost) {

    long effectiveCost() {
        return Math.min(cost, capacity);
    }
}

package dev.chatplatform.gateway.ratelimit;

import java.util.List;

/**
 * The outcome of taking from several buckets at once: all of them or none.
 *
 * @param allowed  true when every bucket had enough (and was charged)
 * @param outcomes one per demand, in the same order
 */
public record Verdict(boolean allowed, List<Outcome> outcomes) {

    /**
     * One bucket after the decision.
     *
     * @param capacity         its size (tokens per minute)
     * @param remaining        whole tokens left
     * @param millisUntilFull  until it is full again
     * @param millisUntilCost  until it holds this request's cost (0 when it already did)
     */
    public record Outcome(long capacity, long remaining, long millisUntilFull, long millisUntilCost) {
    }
}

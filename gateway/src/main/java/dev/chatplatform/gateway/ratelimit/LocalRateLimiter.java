package dev.chatplatform.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Token buckets in this replica's memory: the local default, and the fallback while Redis cannot be reached.
 * The same arithmetic as {@code token-buckets.lua} (see {@link RedisRateLimiter}); one lock around each
 * decision, which takes microseconds. Buckets idle for a whole window are full again and are dropped.
 */
public class LocalRateLimiter implements RateLimiter {

    private final LongSupplier clockMillis;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private long lastSweep;

    public LocalRateLimiter(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        this.lastSweep = clockMillis.getAsLong();
    }

    @Override
    public Mono<Verdict> acquire(List<Demand> demands) {
        return Mono.fromSupplier(() -> decide(demands));
    }

    synchronized Verdict decide(List<Demand> demands) {
        long now = clockMillis.getAsLong();
        sweep(now);
        double[] available = new double[demands.size()];
        boolean allowed = true;
        for (int i = 0; i < demands.size(); i++) {
            Demand d = demands.get(i);
            available[i] = refilled(buckets.get(d.key()), d.capacity(), now);
            if (d.capacity() <= 0 || available[i] < d.effectiveCost()) {
                allowed = false;
            }
        }
        List<Verdict.Outcome> outcomes = new ArrayList<>(demands.size());
        for (int i = 0; i < demands.size(); i++) {
            Demand d = demands.get(i);
            double tokens = available[i];
            if (allowed) {
                tokens -= d.effectiveCost();
                buckets.put(d.key(), new Bucket(tokens, now, d.capacity()));
            }
            outcomes.add(outcome(tokens, d));
        }
        return new Verdict(allowed, List.copyOf(outcomes));
    }

    /**
     * Tokens in a bucket now. A new bucket is full. When the capacity changed (a tier change) the difference is
     * added or taken away at once, so an upgrade applies immediately and a downgrade keeps what was used.
     */
    static double refilled(Bucket bucket, long capacity, long now) {
        if (bucket == null) {
            return capacity;
        }
        double tokens = bucket.tokens() + (capacity - bucket.capacity());
        if (now > bucket.millis()) {
            tokens += (double) (now - bucket.millis()) * capacity / WINDOW_MILLIS;
        }
        return Math.max(0, Math.min(capacity, tokens));
    }

    static Verdict.Outcome outcome(double tokens, Demand d) {
        if (d.capacity() <= 0) {
            return new Verdict.Outcome(0, 0, WINDOW_MILLIS, WINDOW_MILLIS);
        }
        long untilFull = (long) Math.ceil((d.capacity() - tokens) * WINDOW_MILLIS / d.capacity());
        long untilCost = tokens >= d.effectiveCost() ? 0
                : (long) Math.ceil((d.effectiveCost() - tokens) * WINDOW_MILLIS / d.capacity());
        return new Verdict.Outcome(d.capacity(), (long) Math.floor(tokens), untilFull, untilCost);
    }

    private void sweep(long now) {
        if (now - lastSweep < WINDOW_MILLIS) {
            return;
        }
        lastSweep = now;
        buckets.values().removeIf(b -> now - b.millis() >= WINDOW_MILLIS);
    }

    synchronized int size() {
        return buckets.size();
    }

    record Bucket(double tokens, long millis, long capacity) {
    }
}

package dev.chatplatform.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.util.List;

/** Takes from several token buckets atomically: either every bucket has enough and all are charged, or none is. */
public interface RateLimiter {

    /** Buckets refill their whole capacity over this window. */
    long WINDOW_MILLIS = 60_000;

    Mono<Verdict> acquire(List<Demand> demands);
}

package dev.chatplatform.provider.routing;

import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.ChoiceDelta;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ToolCallDelta;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.UpstreamException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one request over its planned deployments until one answers:
 * <ul>
 *   <li>a retryable failure (429, 408, 5xx, timeout, broken connection) is retried on the same deployment after
 *       an exponential backoff with jitter, or after the provider's {@code Retry-After} (a longer one than
 *       allowed moves on at once), up to {@code maxAttemptsPerDeployment};</li>
 *   <li>then the next deployment / fallback model is tried; an open circuit breaker or a full concurrency limit
 *       skips a deployment without calling it; a 400/422 from a provider ends the request (the request itself
 *       is wrong, another provider would refuse it too), a 401/403/404 moves on without retrying;</li>
 *   <li>once a piece of the answer has reached the client nothing is retried or replaced: the failure is
 *       thrown as {@link StreamBrokenException} with the usage consumed so far.</li>
 * </ul>
 * Every upstream call is reported once to the {@link AttemptListener}s. Only the call that answered (or
 * broke after starting) is billed; the others never reach the client's x_platform usage.
 */
@Component
public class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final String CONCURRENCY_LIMITED = "concurrency_limited";
    /** How long a caller refused for concurrency should wait: a slot frees as soon as any call to the provider ends. */
    static final Duration CONCURRENCY_RETRY_AFTER = Duration.ofSeconds(1);

    private final ProviderRegistry providers;
    private final RoutingProperties properties;
    private final List<AttemptListener> listeners;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;

    @Autowired
    Router(ProviderRegistry providers, RoutingProperties properties, ObjectProvider<AttemptListener> listeners) {
        this(providers, properties, listeners.orderedStream().toList());
    }

    public Router(ProviderRegistry providers, RoutingProperties properties, List<AttemptListener> listeners) {
        this.providers = providers;
        this.properties = properties;
        this.listeners = List.copyOf(listeners);
        RoutingProperties.CircuitBreaker cb = properties.circuitBreaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumCalls())
                .waitDurationInOpenState(cb.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(cb.halfOpenCalls())
                // streams legitimately last minutes: slowness alone never opens a breaker
                .slowCallDurationThreshold(Duration.ofDays(1))
                .recordException(Router::countsAgainstProvider)
                .ignoreException(e -> e instanceof UpstreamException u && !countsAgainstProvider(u))
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(properties.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
    }

    /** Server errors, timeouts and broken connections; a 429 is the provider working as intended. */
    private static boolean countsAgainstProvider(Throwable e) {
        return !(e instanceof UpstreamException u) || (u.retryable() && u.status() != 429);
    }

    public CircuitBreaker.State breakerState(String provider) {
        return breakers.circuitBreaker(provider).getState();
    }

    /**
     * @param downstream {@link RoutedObserver#IGNORE} for a whole answer, else receives the stream
     * @throws ApiException          when no deployment answered and nothing reached the client
     * @throws StreamBrokenException when the answering deployment failed after its first piece reached the client
     * @throws IOException           when the client went away
     */
    public Routed generate(List<RouteTarget> targets, ProviderRequest request, RoutedObserver downstream,
                           CallContext context) throws IOException {
        Run run = new Run(downstream, context);
        targets:
        for (RouteTarget target : targets) {
            Optional<ChatProvider> provider = providers.find(target.provider());
            if (provider.isEmpty()) {
                continue;
            }
            CircuitBreaker breaker = breakers.circuitBreaker(target.provider());
            Bulkhead bulkhead = bulkheads.bulkhead(target.provider());
            for (int tryNo = 1; tryNo <= properties.maxAttemptsPerDeployment(); tryNo++) {
                if (run.number >= properties.maxAttempts()) {
                    break targets;
                }
                if (!breaker.tryAcquirePermission()) {
                    run.skipped(target, "circuit_open");
                    continue targets;
                }
                if (!bulkhead.tryAcquirePermission()) {
                    breaker.releasePermission();
                    run.skipped(target, CONCURRENCY_LIMITED);
                    continue targets;
                }
                UpstreamException failure;
                try {
                    Optional<Routed> answer = run.attempt(provider.get(), target, breaker,
                            request.withModel(target.upstreamModel(), target.model().model().maxOutputTokens()));
                    if (answer.isPresent()) {
                        return answer.get();
                    }
                    failure = run.lastFailure;
                } finally {
                    bulkhead.onComplete();
                }
                if (failure.status() == 400 || failure.status() == 422 || failure.status() == 413) {
                    break targets;
                }
                if (!failure.retryable() || tryNo == properties.maxAttemptsPerDeployment()) {
                    continue targets;
                }
                Duration wait = backoff(tryNo, failure.retryAfter());
                if (wait == null) {
                    continue targets;
                }
                sleep(wait);
            }
        }
        run.finish();
        throw failure(targets, run);
    }

    /** Wait before retry {@code retryNo}; null when the provider asks for a longer pause than we accept. */
    Duration backoff(int retryNo, Optional<Duration> retryAfter) {
        RoutingProperties.Backoff b = properties.backoff();
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(b.maxRetryAfter()) > 0 ? null : retryAfter.get();
        }
        double millis = Math.min(b.max().toMillis(), b.initial().toMillis() * Math.pow(b.multiplier(), retryNo - 1));
        double jittered = millis * (1 - b.jitter() * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.round(jittered));
    }

    private static void sleep(Duration wait) throws InterruptedIOException {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /**
     * Why no deployment answered, as the caller sees it: the last upstream failure ({@link UpstreamException#toApiException});
     * or, when no deployment was called at all, a 429 {@code concurrency_limited} when the last one skipped was at
     * its concurrency limit (a slot frees as soon as a call ends: retry after {@link #CONCURRENCY_RETRY_AFTER}), else
     * a 503 {@code upstream_unavailable} (open circuit breakers: retry after their {@code wait-in-open}).
     */
    private ApiException failure(List<RouteTarget> targets, Run run) {
        String model = targets.isEmpty() ? "the model" : "'" + targets.getFirst().modelId() + "'";
        UpstreamException last = run.lastFailure;
        if (last != null) {
            return last.toApiException(model);
        }
        if (CONCURRENCY_LIMITED.equals(run.lastSkipReason)) {
            return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", CONCURRENCY_LIMITED,
                    "Every provider serving " + model + " is at its limit of concurrent calls (" + run.lastSkip
                            + "). Try again shortly.", null).withRetryAfter(CONCURRENCY_RETRY_AFTER);
        }
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "api_error", "upstream_unavailable",
                "No provider can serve " + model + " right now (" + run.lastSkip + "). Try again later.", null)
                .withRetryAfter(run.lastSkipReason == null ? null : properties.circuitBreaker().waitInOpen());
    }

    /** The state of one request's routing: attempt numbers, the failed attempt whose outcome is not known yet. */
    private final class Run {

        private final RoutedObserver downstream;
        private final CallContext context;
        private boolean startedDownstream;
        private int number;
        private Attempt pending;
        private UpstreamException lastFailure;
        private String lastSkip = "no provider configured";
        private String lastSkipReason;

        Run(RoutedObserver downstream, CallContext context) {
            this.downstream = downstream;
            this.context = context;
        }

        void skipped(RouteTarget target, String reason) {
            lastSkip = target.provider() + ": " + reason;
            lastSkipReason = reason;
            log.info("skipping {} / {}: {}", target.provider(), target.upstreamModel(), reason);
        }

        /** One upstream call: the answer, or empty with {@link #lastFailure} set when it failed before starting. */
        Optional<Routed> attempt(ChatProvider provider, RouteTarget target, CircuitBreaker breaker,
                                 ProviderRequest request) throws IOException {
            number++;
            if (pending != null) {
                report(pending.target() == target ? Attempt.Outcome.RETRY : Attempt.Outcome.FALLBACK, pending);
                pending = null;
            }
            long start = System.nanoTime();
            AttemptObserver observer = new AttemptObserver(target, start);
            try {
                Generation g = provider.generate(request, downstream == RoutedObserver.IGNORE
                        ? GenerationObserver.IGNORE : observer);
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                report(Attempt.Outcome.SUCCESS, attempt(target, null, start, observer, g.usage()));
                return Optional.of(new Routed(g, target, number));
            } catch (IOException e) {
                breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                report(Attempt.Outcome.CLIENT_GONE, attempt(target, null, start, observer, observer.usage));
                throw e;
            } catch (RuntimeException e) {
                UpstreamException u = e instanceof UpstreamException ue ? ue
                        : new UpstreamException(target.provider(), 0, null, "internal", e.toString(), e);
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, u);
                log.warn("attempt {} on {} / {} failed: {}", number, target.provider(), target.upstreamModel(),
                        u.getMessage());
                Attempt failed = attempt(target, u.errorClass(), start, observer, observer.usage);
                if (observer.committed) {
                    report(Attempt.Outcome.ERROR, failed);
                    throw new StreamBrokenException(target, observer.usage, u);
                }
                pending = failed;
                lastFailure = u;
                return Optional.empty();
            }
        }

        void finish() {
            if (pending != null) {
                report(Attempt.Outcome.ERROR, pending);
                pending = null;
            }
        }

        private Attempt attempt(RouteTarget target, String errorClass, long start, AttemptObserver observer,
                                TokenUsage usage) {
            TokenUsage used = usage == null ? new TokenUsage(0, 0, 0, true) : usage;
            Long ttft = observer.firstPieceNanos == 0 ? null
                    : TimeUnit.NANOSECONDS.toMillis(observer.firstPieceNanos - start);
            return new Attempt(context.requestId(), context.accountId(), number, target, null, errorClass,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), ttft, used, target.cost(used));
        }

        private void report(Attempt.Outcome outcome, Attempt a) {
            Attempt done = new Attempt(a.requestId(), a.accountId(), a.number(), a.target(), outcome, a.errorClass(),
                    a.latencyMs(), a.timeToFirstTokenMs(), a.usage(), a.costMicroUsd());
            for (AttemptListener listener : listeners) {
                try {
                    listener.recorded(done);
                } catch (RuntimeException e) {
                    log.error("recording attempt {} of {} failed", done.number(), done.requestId(), e);
                }
            }
        }

        /** Passes one attempt's pieces on; the first attempt that starts answering sends the (single) role chunk. */
        private final class AttemptObserver implements GenerationObserver {

            private final RouteTarget target;
            private TokenUsage usage;
            private boolean committed;
            private long firstPieceNanos;

            AttemptObserver(RouteTarget target, long start) {
                this.target = target;
            }

            @Override
            public void started(TokenUsage usage) throws IOException {
                this.usage = usage;
                if (!startedDownstream) {
                    startedDownstream = true;
                    downstream.started(target, usage);
                }
            }

            @Override
            public void delta(String content, TokenUsage usageSoFar) throws IOException {
                piece(usageSoFar);
                downstream.delta(target, content, usageSoFar);
            }

            @Override
            public void toolCallDelta(ToolCallDelta delta, TokenUsage usageSoFar) throws IOException {
                piece(usageSoFar);
                downstream.toolCallDelta(target, delta, usageSoFar);
            }

            @Override
            public void choiceDelta(ChoiceDelta delta, TokenUsage usageSoFar) throws IOException {
                piece(usageSoFar);
                downstream.choiceDelta(target, delta, usageSoFar);
            }

            /** A piece (text or tool call) goes to the client: from now on this attempt cannot be retried. */
            private void piece(TokenUsage usageSoFar) {
                usage = usageSoFar;
                if (firstPieceNanos == 0) {
                    firstPieceNanos = System.nanoTime();
                }
                committed = true;
            }
        }
    }
}

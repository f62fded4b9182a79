package dev.chatplatform.gateway.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Token buckets in Redis, shared by every gateway replica: one Lua script ({@code ratelimit/token-buckets.lua})
 * reads, refills and charges all of a request's buckets in one atomic step, on Redis's clock. Bucket keys carry
 * the account in a hash tag ({@code {accountId}}), so a request's buckets live in one slot of a Redis Cluster.
 * <p>
 * When Redis does not answer within {@code gateway.rate-limits.redis-timeout} (down, unreachable, slow) this
 * replica decides with its in-memory buckets instead, and says so in the log and in
 * {@code gateway_ratelimit_redis_fallbacks_total}: limits stay on, per replica, rather than every request failing
 * or going unlimited.
 */
public class RedisRateLimiter implements RateLimiter, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final String SCRIPT = load("ratelimit/token-buckets.lua");
    private static final long WARN_EVERY_MILLIS = 30_000;

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration timeout;
    private final LocalRateLimiter fallback;
    private final Counter fallbacks;
    private final String sha;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection =
            new AtomicReference<>();
    private final AtomicLong lastConnectAttempt = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong();

    public RedisRateLimiter(String redisUrl, Duration timeout, LocalRateLimiter fallback, MeterRegistry meters) {
        this.uri = RedisURI.create(redisUrl);
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.timeout = timeout;
        this.fallback = fallback;
        this.fallbacks = Counter.builder("gateway.ratelimit.redis.fallbacks")
                .description("Rate-limit decisions taken in memory because Redis did not answer in time")
                .register(meters);
        this.sha = sha1Hex(SCRIPT);
        connect();
    }

    /**
     * Connects in the background (the gateway starts, and serves with in-memory buckets, while Redis is down) and
     * loads the script. An established connection reconnects by itself; a failed first attempt is retried at the
     * next request, at most once a second.
     */
    private CompletableFuture<StatefulRedisConnection<String, String>> connect() {
        lastConnectAttempt.set(System.currentTimeMillis());
        CompletableFuture<StatefulRedisConnection<String, String>> attempt = client
                .connectAsync(StringCodec.UTF8, uri)
                .thenCompose(c -> c.async().scriptLoad(SCRIPT).thenApply(loaded -> c))
                .toCompletableFuture();
        attempt.whenComplete((c, e) -> {
            if (e == null) {
                log.info("rate-limit buckets in Redis at {}:{}", uri.getHost(), uri.getPort());
            }
        });
        connection.set(attempt);
        return attempt;
    }

    private Mono<StatefulRedisConnection<String, String>> connection() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        long last = lastConnectAttempt.get();
        if (current.isCompletedExceptionally() && System.currentTimeMillis() - last > 1_000
                && lastConnectAttempt.compareAndSet(last, System.currentTimeMillis())) {
            current = connect();
        }
        return Mono.fromFuture(current, true);
    }

    /** True while this replica talks to Redis (false: deciding in memory). */
    public boolean connected() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        return current.isDone() && !current.isCompletedExceptionally() && current.join().isOpen();
    }

    @Override
    public Mono<Verdict> acquire(List<Demand> demands) {
        String[] keys = demands.stream().map(Demand::key).toArray(String[]::new);
        String[] args = new String[1 + 2 * demands.size()];
        args[0] = Long.toString(WINDOW_MILLIS);
        for (int i = 0; i < demands.size(); i++) {
            args[1 + 2 * i] = Long.toString(demands.get(i).capacity());
            args[2 + 2 * i] = Long.toString(demands.get(i).cost());
        }
        return connection()
                .flatMap(c -> c.reactive().<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args)
                        .onErrorResume(RedisNoScriptException.class,
                                e -> c.reactive().eval(SCRIPT, ScriptOutputType.MULTI, keys, args))
                        .next())
                .timeout(timeout)
                .map(reply -> verdict(reply, demands))
                .onErrorResume(e -> {
                    fallbacks.increment();
                    long now = System.currentTimeMillis();
                    long last = lastWarning.get();
                    if (now - last > WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
                        log.warn("Redis did not answer for rate limits, deciding in memory on this replica: {}",
                                e.toString());
                    }
                    return fallback.acquire(demands);
                });
    }

    private static Verdict verdict(List<Object> reply, List<Demand> demands) {
        boolean allowed = ((Long) reply.get(0)) == 1L;
        List<Verdict.Outcome> outcomes = new ArrayList<>(demands.size());
        for (int i = 0; i < demands.size(); i++) {
            outcomes.add(new Verdict.Outcome(demands.get(i).capacity(), (Long) reply.get(1 + 3 * i),
                    (Long) reply.get(2 + 3 * i), (Long) reply.get(3 + 3 * i)));
        }
        return new Verdict(allowed, List.copyOf(outcomes));
    }

    @Override
    public void destroy() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static String sha1Hex(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String load(String resource) {
        try (InputStream in = RedisRateLimiter.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

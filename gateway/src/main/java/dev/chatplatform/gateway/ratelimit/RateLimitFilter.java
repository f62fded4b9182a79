package dev.chatplatform.gateway.ratelimit;

import dev.chatplatform.contracts.usage.QuotaChanged;
import dev.chatplatform.gateway.auth.ApiKeyAuthenticator;
import dev.chatplatform.gateway.auth.AuthenticationFilter;
import dev.chatplatform.gateway.edge.ErrorResponses;
import dev.chatplatform.gateway.quota.QuotaView;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-minute limits on authenticated model requests (the routes that run a model, as OpenAI's and LiteLLM's
 * limits count them; reads and management calls are not limited), by the account's tier ({@code quota.v1}, else
 * the defaults): every model request takes 1 from its account's requests bucket and 1 from its API key's, and its
 * estimated tokens ({@link TokenEstimator}) from the account's tokens bucket. All of a request's buckets are
 * charged together or not at all. A refused request gets 429 in OpenAI's shape ({@code rate_limit_exceeded},
 * type {@code requests} or {@code tokens}) with {@code Retry-After}; every limited response carries
 * {@code X-RateLimit-Limit/-Remaining/-Reset} (requests: the tighter of the key's and the account's bucket) and
 * the same with {@code -Tokens}. The bootstrap admin key is not limited.
 */
public class RateLimitFilter implements WebFilter, Ordered {

    public static final int ORDER = AuthenticationFilter.ORDER + 10;

    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";
    public static final String TOKENS_SUFFIX = "-Tokens";

    /** Embeddings have no answer tokens: only their input counts in the tokens bucket. */
    private static final PathPattern EMBEDDINGS = PathPatternParser.defaultInstance.parse("/v1/embeddings");
    /** Routes that run a model: the ones limited. */
    private static final List<PathPattern> MODEL_ROUTES = List.of(
            PathPatternParser.defaultInstance.parse("/v1/chat/completions"), EMBEDDINGS,
            PathPatternParser.defaultInstance.parse("/api/v1/conversations/{id}/messages"),
            PathPatternParser.defaultInstance.parse("/api/v1/conversations/{id}/regenerate"));

    private final RateLimiter limiter;
    private final QuotaView quotas;
    private final TokenEstimator tokens;
    private final ErrorResponses errors;
    private final RateLimitProperties properties;
    private final MeterRegistry meters;

    public RateLimitFilter(RateLimiter limiter, QuotaView quotas, TokenEstimator tokens, ErrorResponses errors,
                           RateLimitProperties properties, MeterRegistry meters) {
        this.limiter = limiter;
        this.quotas = quotas;
        this.tokens = tokens;
        this.errors = errors;
        this.properties = properties;
        this.meters = meters;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        CallerIdentity caller = exchange.getAttribute(AuthenticationFilter.CALLER_ATTRIBUTE);
        if (!properties.enabled() || caller == null || isBootstrapAdmin(caller) || !isModelRequest(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        return DataBufferUtils.join(exchange.getRequest().getBody())
                .map(RateLimitFilter::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> decide(exchange.mutate().request(replay(exchange, body)).build(), chain, caller,
                        EMBEDDINGS.matches(exchange.getRequest().getPath().pathWithinApplication())
                                ? tokens.estimateInput(body) : tokens.estimate(body)));
    }

    /** The limits of the account's tier, or the defaults while usage-service has published none for it. */
    public Limits limitsFor(String accountId) {
        return quotas.find(accountId)
                .map(q -> new Limits(q.tier(), q.requestsPerMinute(), q.tokensPerMinute()))
                .orElseGet(() -> new Limits(null, properties.defaultRequestsPerMinute(),
                        properties.defaultTokensPerMinute()));
    }

    /** @param tier null for the defaults */
    public record Limits(String tier, long requestsPerMinute, long tokensPerMinute) {
    }

    private Mono<Void> decide(ServerWebExchange exchange, WebFilterChain chain, CallerIdentity caller,
                              long estimatedTokens) {
        Limits limits = limitsFor(caller.accountId());
        String account = properties.redisKeyPrefix() + "{" + caller.accountId() + "}:";
        List<Demand> demands = new ArrayList<>(3);
        List<String> scopes = new ArrayList<>(3);
        demands.add(new Demand(account + "rpm", limits.requestsPerMinute(), 1));
        scopes.add("account");
        if (caller.keyId() != null) {
            long keyCapacity = limits.requestsPerMinute() <= 0 ? 0
                    : Math.max(1, (limits.requestsPerMinute() * properties.keyRequestsPercent() + 99) / 100);
            demands.add(new Demand(account + "key:" + caller.keyId() + ":rpm", keyCapacity, 1));
            scopes.add("key");
        }
        demands.add(new Demand(account + "tpm", limits.tokensPerMinute(), estimatedTokens));
        scopes.add("tokens");
        return limiter.acquire(demands).flatMap(verdict -> {
            HttpHeaders headers = headers(verdict, scopes);
            if (verdict.allowed()) {
                exchange.getResponse().beforeCommit(() -> {
                    exchange.getResponse().getHeaders().putAll(headers);
                    return Mono.empty();
                });
                return chain.filter(exchange);
            }
            exchange.getResponse().getHeaders().putAll(headers);
            return refuse(exchange, caller, limits, demands, scopes, verdict);
        });
    }

    private Mono<Void> refuse(ServerWebExchange exchange, CallerIdentity caller, Limits limits, List<Demand> demands,
                              List<String> scopes, Verdict verdict) {
        int worst = -1;
        for (int i = 0; i < demands.size(); i++) {
            Verdict.Outcome o = verdict.outcomes().get(i);
            boolean refusedHere = o.millisUntilCost() > 0 || o.capacity() <= 0;
            if (refusedHere && (worst < 0 || o.millisUntilCost() > verdict.outcomes().get(worst).millisUntilCost())) {
                worst = i;
            }
        }
        Demand demand = demands.get(worst);
        Verdict.Outcome outcome = verdict.outcomes().get(worst);
        String scope = scopes.get(worst);
        long retryAfter = Math.max(1, (outcome.millisUntilCost() + 999) / 1000);
        boolean tokenLimit = scope.equals("tokens");
        String type = tokenLimit ? "tokens" : "requests";
        Counter.builder("gateway.ratelimit.refused").description("Requests refused by the gateway's rate limits")
                .tag("limit", type).tag("scope", scope).register(meters).increment();
        String on = "on account " + caller.accountId() + (scope.equals("key") ? " for API key " + caller.keyId() : "")
                + (limits.tier() == null ? "" : " (tier " + limits.tier() + ")");
        String message = (tokenLimit ? "Rate limit reached for tokens per minute (TPM) " : "Rate limit reached for "
                + "requests per minute (RPM) ") + on + ": Limit " + demand.capacity() + ", Remaining "
                + outcome.remaining() + ", Requested " + demand.cost()
                + (tokenLimit ? " (estimated: request bytes / 4 + max_tokens)" : "")
                + ". Please try again in " + retryAfter + "s.";
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        return errors.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
                ApiError.of(type, "rate_limit_exceeded", message, null));
    }

    /** Requests: the tighter of the account's and the key's bucket; tokens: the account's tokens bucket. */
    private static HttpHeaders headers(Verdict verdict, List<String> scopes) {
        HttpHeaders headers = new HttpHeaders();
        Verdict.Outcome requests = null;
        for (int i = 0; i < scopes.size(); i++) {
            Verdict.Outcome o = verdict.outcomes().get(i);
            if (scopes.get(i).equals("tokens")) {
                put(headers, TOKENS_SUFFIX, o);
            } else if (requests == null || o.remaining() < requests.remaining()) {
                requests = o;
            }
        }
        put(headers, "", requests);
        return headers;
    }

    private static void put(HttpHeaders headers, String suffix, Verdict.Outcome o) {
        headers.set(LIMIT + suffix, Long.toString(o.capacity()));
        headers.set(REMAINING + suffix, Long.toString(o.remaining()));
        headers.set(RESET + suffix, Long.toString((o.millisUntilFull() + 999) / 1000));
    }

    private static boolean isBootstrapAdmin(CallerIdentity caller) {
        return ApiKeyAuthenticator.ADMIN_ACCOUNT.equals(caller.accountId())
                && ApiKeyAuthenticator.ADMIN_KEY_ID.equals(caller.keyId());
    }

    private static boolean isModelRequest(ServerHttpRequest request) {
        if (!HttpMethod.POST.equals(request.getMethod())) {
            return false;
        }
        PathContainer path = request.getPath().pathWithinApplication();
        return MODEL_ROUTES.stream().anyMatch(p -> p.matches(path));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The request with its body, already read for the estimate, served again to the route. */
    private static ServerHttpRequest replay(ServerWebExchange exchange, byte[] body) {
        return new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return body.length == 0 ? Flux.empty()
                        : Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
            }
        };
    }
}

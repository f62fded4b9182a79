package dev.chatplatform.provider.cache;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.provider.upstream.ProviderRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The exact-match cache. The key is the SHA-256 of the normalised request: the catalog model, the
 * provider-neutral request (messages with roles, names, tool calls and results; max tokens; stop; temperature;
 * top_p; tools with their JSON Schemas; tool_choice) written as JSON with every object's keys sorted, so
 * field order in the caller's JSON does not matter. Rows are keyed by (account, key): an answer is never
 * replayed to another account. Whether the answer was streamed does not matter (a stream replays a whole
 * answer as chunks). Cache failures never fail a request: they are logged and the request goes upstream.
 */
@Service
public class ResponseCache {

    private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final ResponseCacheRepository repository;
    private final ResponseCacheProperties properties;
    private final Outbox outbox;

    ResponseCache(ResponseCacheRepository repository, ResponseCacheProperties properties, Outbox outbox) {
        this.repository = repository;
        this.properties = properties;
        this.outbox = outbox;
    }

    /**
     * The cache key when the request may be served from (and stored in) the cache: temperature exactly 0,
     * or {@link CacheMode#USE}; never with {@link CacheMode#BYPASS}, when the cache is switched off, or for
     * {@code n > 1} or {@code logprobs} (a cached answer is one choice without log probabilities).
     */
    public Optional<String> keyFor(CacheMode mode, String modelId, ProviderRequest request) {
        boolean deterministic = request.temperature() != null && request.temperature() == 0.0;
        boolean oneChoice = request.options().n() == 1 && !request.options().logprobs(); // what a cached answer holds
        if (!properties.enabled() || !oneChoice || mode == CacheMode.BYPASS || (mode == CacheMode.DEFAULT && !deterministic)) {
            return Optional.empty();
        }
        Map<String, Object> normalised = new LinkedHashMap<>();
        normalised.put("model", modelId);
        normalised.put("request", request);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(normalised));
            return Optional.of(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<CachedAnswer> find(String accountId, String key) {
        try {
            return repository.find(accountId, key, Instant.now())
                    .map(json -> CANONICAL.readValue(json.getBytes(StandardCharsets.UTF_8), CachedAnswer.class));
        } catch (RuntimeException e) {
            log.warn("response cache lookup failed, answering from upstream: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Stores a finished answer for the TTL (replacing an older one for the same key). */
    public void store(String accountId, String key, CachedAnswer answer) {
        try {
            Instant now = Instant.now();
            repository.put(accountId, key, answer.model(), CANONICAL.writeValueAsString(answer), now,
                    now.plus(properties.ttl()));
        } catch (RuntimeException e) {
            log.warn("could not store an answer in the response cache: {}", e.toString());
        }
    }

    /**
     * One {@code llm-call.recorded.v1} for a hit: outcome SUCCESS, {@code cacheHit: true}, attempt 1, the
     * stored answer's tokens and a cost of 0 (no upstream call was made).
     */
    public void recordHit(String requestId, String accountId, CachedAnswer answer, long latencyMs, String autoReason) {
        var event = new LlmCallRecorded(requestId, accountId, 1, answer.provider(), answer.model(),
                answer.upstreamModel(), LlmCallRecorded.Outcome.SUCCESS, null, latencyMs, null, answer.promptTokens(),
                answer.cachedTokens(), answer.completionTokens(), 0, answer.estimated(), Map.of(), Instant.now(),
                autoReason, true);
        outbox.publishDetached(LlmCallRecorded.TYPE, requestId + ":1", accountId, accountId, event);
    }
}

package dev.chatplatform.chat.context;

import dev.chatplatform.chat.provider.ProviderClient;
import dev.chatplatform.chat.provider.ProviderUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context window of a model: {@code context_window} from provider-service's {@code GET /v1/models/{id}}
 * when it reports one (remembered for {@code chat.context.window-cache-ttl}), else the configured window of
 * that model, else the configured default. A lookup failure is not an error here: the completion call that
 * follows tells the caller about an unknown model or an unreachable provider.
 */
@Component
@EnableConfigurationProperties(ContextProperties.class)
public class ModelWindows {

    private static final Logger log = LoggerFactory.getLogger(ModelWindows.class);

    private record Known(int window, Instant until) {
    }

    private final ProviderClient provider;
    private final ContextProperties properties;
    private final JsonMapper json;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    ModelWindows(ProviderClient provider, ContextProperties properties, JsonMapper json) {
        this.provider = provider;
        this.properties = properties;
        this.json = json;
    }

    public int windowOf(String model, String identityToken, String requestId) {
        Known cached = known.get(model);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.window();
        }
        int configured = properties.windows().getOrDefault(model, properties.defaultWindow());
        try {
            var response = provider.model(model, identityToken, requestId);
            Integer reported = response.statusCode() == 200 ? reported(response.body()) : null;
            int window = reported != null ? reported : configured;
            // provider-service answered (with or without a window): remember it; an unreachable one is asked again
            known.put(model, new Known(window, Instant.now().plus(properties.windowCacheTtl())));
            return window;
        } catch (ProviderUnavailableException e) {
            log.debug("no context window from provider-service for {}: {}", model, e.toString());
            return configured;
        }
    }

    /** Tokens kept free for the answer: what the caller asked for, else the default (at most a quarter of the window). */
    public int reservedOutput(Integer maxTokens, int window) {
        return maxTokens != null ? maxTokens : Math.min(properties.reservedOutputTokens(), window / 4);
    }

    private Integer reported(byte[] body) {
        try {
            JsonNode window = json.readTree(body).path("context_window");
            return window.isIntegralNumber() && window.asInt() > 0 ? window.asInt() : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}

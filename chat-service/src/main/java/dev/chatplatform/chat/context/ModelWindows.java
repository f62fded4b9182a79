package dev.chatplatform.chat.context;

import dev.chatplatform.chat.provider.ProviderClient;
import dev.chatplatform.chat.provider.ProviderErrors;
import dev.chatplatform.chat.provider.ProviderUnavailableException;
import dev.chatplatform.kit.identity.CallerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is known of a model before it is called, from provider-service's {@code GET /v1/models/{id}}
 * (remembered for {@code chat.context.window-cache-ttl}): its context window ({@code context_window} when
 * reported, else the configured window of that model, else the configured default), its maximum output
 * ({@code max_output_tokens}) and its price in force ({@code pricing}), both null when not reported. A model
 * provider-service refuses (404 {@code model_not_found},
 * 400 {@code model_not_priced}) is refused here, before any budget is held for it — except the routing names
 * in {@code chat.context.unlisted-models} ({@code auto}), which provider-service serves but does not list.
 * An unreachable provider-service is not an error here: the completion call that follows tells the caller.
 */
@Component
@EnableConfigurationProperties(ContextProperties.class)
public class ModelWindows {

    private static final Logger log = LoggerFactory.getLogger(ModelWindows.class);

    private record Known(ModelFacts facts, Instant until) {
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

    /**
     * @throws dev.chatplatform.kit.web.ApiException provider-service's 4xx for a model it does not serve
     */
    public ModelFacts describe(String model, CallerIdentity caller, String requestId) {
        Known cached = known.get(model);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.facts();
        }
        ModelFacts configured = new ModelFacts(properties.windows().getOrDefault(model, properties.defaultWindow()),
                null, null);
        HttpResponse<byte[]> response;
        try {
            response = provider.model(model, caller, requestId);
        } catch (ProviderUnavailableException e) {
            log.debug("no description of {} from provider-service: {}", model, e.toString());
            return configured; // asked again next time
        }
        int status = response.statusCode();
        if (status >= 400 && status < 500 && status != 401 && !properties.unlistedModels().contains(model)) {
            throw ProviderErrors.rejection(json, status, new String(response.body(), StandardCharsets.UTF_8));
        }
        JsonNode description = status == 200 ? read(response.body()) : MissingNode.getInstance();
        Integer window = positive(description.path("context_window"));
        ModelFacts facts = new ModelFacts(window != null ? window : configured.window(),
                positive(description.path("max_output_tokens")), price(description.path("pricing")),
                description.path("kind").isString() ? description.path("kind").stringValue() : null);
        // provider-service answered (with or without the facts): remember it; an unreachable one is asked again
        known.put(model, new Known(facts, Instant.now().plus(properties.windowCacheTtl())));
        return facts;
    }

    /** Tokens kept free for the answer: what the caller asked for, else the default (at most a quarter of the window). */
    public int reservedOutput(Integer maxTokens, int window) {
        return maxTokens != null ? maxTokens : Math.min(properties.reservedOutputTokens(), window / 4);
    }

    private JsonNode read(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return MissingNode.getInstance();
        }
    }

    private static ModelFacts.Price price(JsonNode pricing) {
        JsonNode input = pricing.path("input_micro_usd_per_million");
        JsonNode output = pricing.path("output_micro_usd_per_million");
        if (!input.isIntegralNumber() || !output.isIntegralNumber() || input.asLong() < 0 || output.asLong() < 0) {
            return null;
        }
        return new ModelFacts.Price(input.asLong(), output.asLong());
    }

    private static Integer positive(JsonNode value) {
        return value.isIntegralNumber() && value.asInt() > 0 ? value.asInt() : null;
    }
}

package dev.chatplatform.chat.provider;

import dev.chatplatform.kit.identity.CallerIdentity;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Resolves {@code model: "auto"} before anything is held: provider-service picks the model for this request and
 * caller ({@code POST /v1/chat/completions/auto-choice}), and the request goes on naming it (with the choice in
 * {@code X-Platform-Auto-Model}, so provider-service still reports it), so the tier's model list, the budget hold,
 * the limits and the usage event all see the model that answers, never {@code auto}.
 */
@Component
public class AutoModels {

    public static final String AUTO = "auto";

    /** The model chosen and the {@code X-Platform-Auto-Model} value that tells it, with the reason. */
    public record Choice(String model, String header) {
    }

    private final ProviderClient provider;
    private final JsonMapper json;

    public static boolean isAuto(String model) {
        return AUTO.equals(model);
    }

    AutoModels(ProviderClient provider, JsonMapper json) {
        this.provider = provider;
        this.json = json;
    }

    /**
     * @param request a chat completion request with {@code model: "auto"}
     * @throws dev.chatplatform.kit.web.ApiException provider-service's refusal (400 {@code no_model_available}), or 502
     */
    public Choice choose(JsonNode request, CallerIdentity caller, String requestId) {
        HttpResponse<byte[]> response;
        try {
            response = provider.chooseAuto(json.writeValueAsBytes(request), caller, requestId);
        } catch (ProviderUnavailableException e) {
            throw ProviderErrors.unavailable();
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            throw ProviderErrors.rejection(json, response.statusCode(), body);
        }
        try {
            JsonNode choice = json.readTree(body);
            String model = choice.path("model").asString("");
            String reason = choice.path("reason").asString("");
            if (!model.isBlank() && !model.equals(AUTO)) {
                return new Choice(model, model + "; reason=\"" + reason.replace("\"", "'") + "\"");
            }
        } catch (JacksonException e) {
            // described below
        }
        throw ProviderErrors.rejection(json, 502, body);
    }
}

package dev.chatplatform.provider.upstream;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Where the real providers are and how long to wait for them. A provider is switched on by its API key
 * (or, for an OpenAI-compatible server, its base URL) and off without it.
 *
 * @param timeouts connect, first token (the longest silence while waiting for bytes) and total
 */
@ConfigurationProperties("provider")
public record UpstreamProperties(@DefaultValue Timeouts timeouts,
                                 @DefaultValue Endpoint openai,
                                 @DefaultValue Endpoint groq,
                                 @DefaultValue Endpoint anthropic,
                                 @DefaultValue Endpoint gemini,
                                 @DefaultValue Endpoint openaiCompatible) {

    public record Timeouts(@DefaultValue("5s") Duration connect, @DefaultValue("30s") Duration firstToken,
                           @DefaultValue("5m") Duration total) {
    }

    /**
     * @param models for an OpenAI-compatible server: the models it serves, comma separated
     */
    public record Endpoint(String apiKey, String baseUrl, String models) {

        public boolean hasKey() {
            return apiKey != null && !apiKey.isBlank();
        }

        public boolean hasBaseUrl() {
            return baseUrl != null && !baseUrl.isBlank();
        }

        public List<String> modelList() {
            return models == null ? List.of() : Arrays.stream(models.split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        }
    }
}

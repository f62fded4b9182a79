package dev.chatplatform.provider.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test helpers shared by the provider adapter tests: an observer that records, and ready-made properties. */
public final class Recording implements GenerationObserver {

    public final List<String> pieces = new ArrayList<>();
    public final List<ToolCallDelta> toolCallPieces = new ArrayList<>();
    public final List<TokenUsage> usages = new ArrayList<>();
    public int started;

    @Override
    public void started(TokenUsage usage) {
        started++;
        usages.add(usage);
    }

    @Override
    public void delta(String content, TokenUsage usageSoFar) {
        pieces.add(content);
        usages.add(usageSoFar);
    }

    @Override
    public void toolCallDelta(ToolCallDelta delta, TokenUsage usageSoFar) {
        toolCallPieces.add(delta);
        usages.add(usageSoFar);
    }

    public static UpstreamProperties properties(String baseUrl) {
        var endpoint = new UpstreamProperties.Endpoint("test-key", baseUrl, null);
        return new UpstreamProperties(new UpstreamProperties.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(5)), endpoint, endpoint, endpoint, endpoint, endpoint);
    }

    public static ProviderRequest request(String model) {
        return new ProviderRequest(model, List.of(ProviderMessage.of("system", "Be brief."),
                ProviderMessage.of("user", "Hello"), ProviderMessage.of("assistant", "Hi! How can I help?"),
                ProviderMessage.of("user", "Weather in Paris?")), 256, List.of("END"), 0.4, 0.9,
                List.of(new ToolDefinition("get_weather", "Current weather", java.util.Map.of("type", "object",
                        "properties", java.util.Map.of("city", java.util.Map.of("type", "string")),
                        "required", List.of("city")))), "auto");
    }
}

package dev.chatplatform.provider;

import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request refused before any output, here by a concurrency limit of 0 calls per provider, is an HTTP status with
 * {@code Retry-After} and OpenAI's error body, streamed or not: a stream is only opened (200) with its first event.
 */
@PlatformIntegrationTest
@TestPropertySource(properties = "provider.routing.max-concurrent-calls=0")
class ConcurrencyLimitIntegrationTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aRequestRefusedBeforeAnyOutputIsA429WithRetryAfterStreamedOrNot() throws Exception {
        for (String stream : List.of("false", "true")) {
            var builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .header("Accept", stream.equals("true") ? "text/event-stream" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"model":"sim-1","stream":%s,"messages":[{"role":"user","content":"Hello"}]}""".formatted(stream)));
            TestIdentities.chatCaller("acc-limited").forEach((name, values) -> values.forEach(v -> builder.header(name, v)));

            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as("stream " + stream).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).as("stream " + stream).contains("1");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("type").asString()).isEqualTo("rate_limit_error");
            assertThat(error.path("code").asString()).isEqualTo("concurrency_limited");
            assertThat(error.path("message").asString()).contains("'sim-1'").contains("simulated: concurrency_limited");
        }
    }
}

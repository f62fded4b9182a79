package dev.chatplatform.provider;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.provider.Topics;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.flags.openfeature.KafkaFlagProvider;
import dev.chatplatform.provider.flags.RoutingFlags;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import dev.openfeature.sdk.ImmutableContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * provider.weighted-routing rolled out through flags.v1: the variant each account is served decides the order
 * of a two-deployment model and tags every llm-call event. Same configuration as the other integration
 * classes, so the Spring context is shared.
 */
@PlatformIntegrationTest
@TestPropertySource(properties = {"provider.simulated.first-token-delay=300ms", "provider.simulated.tokens-per-second=2000"})
class RoutingFlagIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FLAG = RoutingFlags.WEIGHTED_ROUTING;

    @LocalServerPort
    int port;

    @Autowired
    KafkaFlagProvider flags;

    @Test
    void theVariantServedDecidesTheRoutingAndTagsEveryLlmCall() throws Exception {
        // two equal deployments: weighted = either first; primary first = sim-1 (catalog order between equals)
        assertThat(call(TestIdentities.admin("platform-admin"), "/api/v1/admin/models", """
                {"id":"sim-routed","provider":"simulated","upstreamModel":"sim-1","contextWindow":128000,"maxOutputTokens":1000,
                 "deployments":[
                  {"provider":"simulated","upstreamModel":"sim-1","weight":1},
                  {"provider":"simulated","upstreamModel":"sim-1-mini","weight":1}]}""")).isEqualTo(201);
        assertThat(call(TestIdentities.admin("platform-admin"), "/api/v1/admin/models/sim-routed/prices",
                "{\"inputMicroUsdPerMtok\":500000,\"outputMicroUsdPerMtok\":1500000,\"cachedInputMicroUsdPerMtok\":250000}"))
                .isEqualTo(201);

        // no flags.v1 record: as before flags, nothing tagged
        assertThat(complete("acc-unflagged")).isEqualTo(200);
        assertThat(events(Set.of("acc-unflagged"), 1)).singleElement()
                .satisfies(e -> assertThat(e.flagVariants()).isEmpty());

        try {
            publish(flag(1, false));
            await().atMost(Duration.ofSeconds(5)).until(() -> flags.store().get(FLAG) != null);
            List<String> on = new ArrayList<>();
            List<String> off = new ArrayList<>();
            for (int i = 0; on.size() < 3 || off.size() < 3; i++) {
                String account = "acc-route-" + i;
                List<String> group = flags.evaluate(FLAG, new ImmutableContext(account)).on() ? on : off;
                if (group.size() < 3) {
                    group.add(account);
                }
            }
            List<String> requests = new ArrayList<>();
            on.forEach(a -> requests.addAll(List.of(a, a, a, a)));
            off.forEach(a -> requests.addAll(List.of(a, a)));
            completeAll(requests);

            List<LlmCallRecorded> treated = events(Set.copyOf(on), 12);
            List<LlmCallRecorded> control = events(Set.copyOf(off), 6);
            assertThat(treated).allSatisfy(e -> assertThat(e.flagVariants()).isEqualTo(Map.of(FLAG, "on")));
            assertThat(control).allSatisfy(e -> assertThat(e.flagVariants()).isEqualTo(Map.of(FLAG, "off")));
            assertThat(control).as("control: always the primary deployment")
                    .allSatisfy(e -> assertThat(e.upstreamModel()).isEqualTo("sim-1"));
            assertThat(treated).as("weighted: both deployments serve (1 in 2048 chance of a false failure)")
                    .extracting(LlmCallRecorded::upstreamModel).contains("sim-1", "sim-1-mini");

            // a kill (or the guard's automatic rollback) serves everyone the safe state: primary first, tagged off
            publish(flag(2, true));
            await().atMost(Duration.ofSeconds(5)).until(() -> flags.store().get(FLAG).version() == 2);
            completeAll(List.of(on.getFirst(), on.getFirst(), on.getFirst()));
            assertThat(events(Set.of(on.getFirst()), 7).subList(4, 7)).allSatisfy(e -> {
                assertThat(e.flagVariants()).isEqualTo(Map.of(FLAG, "off"));
                assertThat(e.upstreamModel()).isEqualTo("sim-1");
            });
        } finally {
            // the other classes of this context expect no flag: a tombstone forgets it
            KafkaProbe.send(new ProducerRecord<String, String>(dev.chatplatform.contracts.rollout.Topics.FLAGS, FLAG, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> flags.store().get(FLAG) == null);
        }
    }

    private static FlagChanged flag(long version, boolean killed) {
        return new FlagChanged(FLAG, "weighted deployments", FlagChanged.Kind.BOOLEAN, true, killed,
                List.of(new FlagChanged.Variant("on", 1)), "off", List.of(), List.of(), List.of(), 50, null, version,
                "test", "test", Instant.now());
    }

    private static void publish(FlagChanged state) {
        var record = new ProducerRecord<>(FlagChanged.TYPE.topic(), state.key(), JSON.writeValueAsString(state));
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TYPE, FlagChanged.TYPE.name().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.SOURCE, "rollout-service".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        KafkaProbe.send(record);
    }

    /** The llm-call events of {@code accounts}, in the order published, once there are {@code expected}. */
    private static List<LlmCallRecorded> events(Set<String> accounts, int expected) {
        List<LlmCallRecorded> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            found.clear();
            KafkaProbe.readAll(Topics.LLM_CALLS, r -> accounts.contains(r.key()), Duration.ofMillis(300))
                    .forEach(r -> found.add(JSON.readValue(r.value(), LlmCallRecorded.class)));
            return found.size() >= expected;
        });
        assertThat(found).hasSize(expected);
        return found;
    }

    private void completeAll(List<String> accounts) throws Exception {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> statuses = accounts.stream().map(a -> executor.submit(() -> complete(a))).toList();
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
        }
    }

    private int complete(String account) {
        return call(TestIdentities.chatCaller(account), "/v1/chat/completions",
                "{\"model\":\"sim-routed\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    private int call(HttpHeaders identity, String path, String body) {
        return RestClient.builder().baseUrl("http://localhost:" + port).defaultHeaders(h -> h.addAll(identity)).build()
                .post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange((req, res) -> res.getStatusCode().value());
    }
}

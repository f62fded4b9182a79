package dev.chatplatform.flags.openfeature;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.FlagChanged.Kind;
import dev.chatplatform.contracts.rollout.FlagChanged.Variant;
import dev.chatplatform.contracts.rollout.Topics;
import dev.chatplatform.flags.Overrides;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.SharedInfrastructure;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.Value;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The provider on the shared embedded Kafka, fed the way rollout-service's outbox relay feeds flags.v1. */
class KafkaFlagProviderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OpenFeatureAPI API = OpenFeatureAPI.getInstance();
    private static KafkaFlagProvider provider;
    private static Client client;

    @BeforeAll
    static void startProvider() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(Topics.FLAGS)) {
                admin.createTopics(List.of(new NewTopic(Topics.FLAGS, 3, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
            }
        }
        publish(flag("preexisting", 1, 100, false));
        provider = new KafkaFlagProvider(SharedInfrastructure.kafkaBootstrapServers(),
                Overrides.from(Map.of("ROLLOUT_KILL", "env-killed")), Duration.ofSeconds(20));
        API.setProviderAndWait("flags-test", provider);
        client = API.getClient("flags-test");
    }

    @AfterAll
    static void stop() {
        API.shutdown();
    }

    @Test
    void readsTheTopicFromTheBeginningBeforeItIsReady() {
        assertThat(client.getBooleanValue("preexisting", false, new ImmutableContext("acc-1"))).isTrue();
    }

    @Test
    void seesAChangeWithinASecondAndSignalsIt() {
        List<String> changed = new CopyOnWriteArrayList<>();
        API.getClient("flags-test").on(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED,
                details -> changed.addAll(details.getFlagsChanged()));
        publish(flag("growing", 1, 0, false));
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.store().get("growing") != null);
        assertThat(client.getBooleanValue("growing", true, new ImmutableContext("acc-1"))).isFalse();

        long start = System.nanoTime();
        publish(flag("growing", 2, 100, false));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> client.getBooleanValue("growing", false, new ImmutableContext("acc-1")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("flags-client: change visible to evaluation after " + millis + " ms");
        await().atMost(Duration.ofSeconds(2)).until(() -> changed.contains("growing"));

        publish(flag("growing", 1, 0, false)); // a replayed older version changes nothing
        publish(flag("growing", 3, 100, true));
        await().atMost(Duration.ofSeconds(2)).until(() -> provider.store().get("growing").version() == 3);
        assertThat(client.getBooleanDetails("growing", true, new ImmutableContext("acc-1")).getReason()).isEqualTo("DISABLED");
    }

    @Test
    void evaluatesVariantsSegmentsAndUnknownFlagsLocally() {
        FlagChanged multi = new FlagChanged("routing-strategy", null, Kind.MULTIVARIANT, true, false,
                List.of(new Variant("fallback-v2", 1)), "legacy", List.of(), List.of("vip"),
                List.of(new FlagChanged.Segment("tier", FlagChanged.Segment.Operator.IN, List.of("free"))),
                100, null, 1, "admin", null, Instant.now());
        publish(multi);
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.store().get("routing-strategy") != null);
        assertThat(client.getStringValue("routing-strategy", "x",
                new ImmutableContext("acc-1", Map.of("tier", new Value("free"))))).isEqualTo("fallback-v2");
        assertThat(client.getStringValue("routing-strategy", "x",
                new ImmutableContext("acc-1", Map.of("tier", new Value("pro"))))).isEqualTo("legacy");
        assertThat(client.getStringValue("routing-strategy", "x",
                new ImmutableContext("vip", Map.of("tier", new Value("free"))))).isEqualTo("legacy");
        var unknown = client.getBooleanDetails("no-such-flag", true, new ImmutableContext("acc-1"));
        assertThat(unknown.getValue()).isTrue();
        assertThat(unknown.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    }

    @Test
    void honoursTheEnvironmentKillSwitch() {
        publish(flag("env-killed", 1, 100, false));
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.store().get("env-killed") != null);
        assertThat(client.getBooleanValue("env-killed", true, new ImmutableContext("acc-1"))).isFalse();
    }

    @Test
    void everyInstanceReadsEverythingWithoutCommittingOffsets() throws Exception {
        publish(flag("shared", 1, 100, false));
        await().atMost(Duration.ofSeconds(5)).until(() -> provider.store().get("shared") != null);
        KafkaFlagProvider second = new KafkaFlagProvider(SharedInfrastructure.kafkaBootstrapServers(), Overrides.NONE,
                Duration.ofSeconds(20));
        try {
            second.initialize(null);
            assertThat(second.store().get("shared")).isNotNull();
            assertThat(second.store().get("preexisting")).isNotNull();
        } finally {
            second.shutdown();
        }
        // after its source goes quiet (rollout-service down), the provider keeps answering from its last state
        assertThat(client.getBooleanValue("shared", false, new ImmutableContext("acc-2"))).isTrue();
    }

    static FlagChanged flag(String key, long version, int percentage, boolean killed) {
        return new FlagChanged(key, "test", Kind.BOOLEAN, true, killed, List.of(new Variant("on", 1)), "off",
                List.of(), List.of(), List.of(), percentage, null, version, "admin", "test", Instant.now());
    }

    static void publish(FlagChanged flag) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.FLAGS, flag.key(), JSON.writeValueAsString(flag));
        record.headers().add(CloudEventHeaders.TYPE, FlagChanged.TYPE.name().getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        KafkaProbe.send(record);
    }
}

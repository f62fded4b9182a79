package dev.chatplatform.deploycheck;

import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.Services;
import dev.chatplatform.contracts.event.TopicDefinition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Kafka of docker compose and the dev overlay, for real: a SASL_SCRAM KRaft broker started by
 * {@code deploy/infra/dev/kafka-broker.sh} from {@code kafka-broker.properties} (other ports and folders), prepared
 * by {@code deploy/base/platform/kafka-init.sh} with the catalog's grants, then used by each service's principal
 * through the services' own Kafka settings (the kit's platform-defaults.properties bound by Spring Boot, the
 * variables a deployment sets). Each principal may write exactly the topics whose producer it is, and read
 * exactly the topics whose consumer it is; nobody gets in without a password.
 *
 * <p>The broker and the Kafka command-line tools the scripts call run from the jars on this test's class path
 * ({@code KAFKA_BIN} points the scripts at small wrappers), as {@code /opt/kafka/bin} runs them in the image.
 */
class KafkaSecurityTest {

    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final String ADMIN_PASSWORD = password();
    private static final Map<String, String> PASSWORDS =
            Services.ALL.stream().collect(Collectors.toMap(s -> s, s -> password()));

    @TempDir
    static Path dir;

    private static Process broker;
    private static String bootstrap;

    @BeforeAll
    static void startTheBrokerAndRunKafkaInit() throws Exception {
        Path bin = writeToolWrappers();
        int port = freePort();
        int controllerPort = freePort();
        bootstrap = "127.0.0.1:" + port;

        Properties server = new Properties();
        try (InputStream in = Files.newInputStream(Platform.ROOT.resolve("deploy/infra/dev/kafka-broker.properties"))) {
            server.load(in);
        }
        server.setProperty("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.setProperty("advertised.listeners", "SASL_PLAINTEXT://" + bootstrap);
        server.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        server.setProperty("log.dirs", dir.resolve("data").toString());
        Path properties = dir.resolve("broker.properties");
        try (var out = Files.newOutputStream(properties)) {
            server.store(out, "kafka-broker.properties on this test's ports and folders");
        }

        ProcessBuilder start = new ProcessBuilder("sh", Platform.ROOT.resolve("deploy/infra/dev/kafka-broker.sh").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile());
        start.environment().putAll(Map.of("KAFKA_BIN", bin.toString(), "KAFKA_CONFIG_DIR", dir.resolve("config").toString(),
                "KAFKA_BROKER_PROPERTIES", properties.toString(), "KAFKA_ADMIN_PASSWORD", ADMIN_PASSWORD));
        broker = start.start();

        ProcessBuilder init = new ProcessBuilder("sh", KafkaGrants.INIT_SCRIPT.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("kafka-init.log").toFile());
        init.environment().putAll(Map.of("KAFKA_BIN", bin.toString(), "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "KAFKA_ADMIN_PASSWORD", ADMIN_PASSWORD, "TOPIC_PARTITIONS", "1"));
        PASSWORDS.forEach((service, password) -> init.environment().put(KafkaGrants.passwordVariable(service), password));
        Process initializing = init.start();
        if (!initializing.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS) || initializing.exitValue() != 0) {
            initializing.destroyForcibly();
            fail("kafka-init.sh failed:%n%s%nbroker:%n%s", Files.readString(dir.resolve("kafka-init.log")), brokerLogTail());
        }
    }

    @AfterAll
    static void stopTheBroker() throws InterruptedException {
        if (broker != null) {
            broker.toHandle().descendants().forEach(ProcessHandle::destroy);
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
            broker.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void billingServiceAloneWritesTheCredentialTopics() throws Exception {
        try (KafkaProducer<String, String> billing = producer(Services.BILLING_SERVICE);
             KafkaProducer<String, String> chat = producer(Services.CHAT_SERVICE)) {
            billing.send(new ProducerRecord<>("accounts.v1", "acct-1", "{}")).get();
            assertThatThrownBy(() -> chat.send(new ProducerRecord<>("accounts.v1", "acct-1", "{\"status\":\"ACTIVE\"}")).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void eachPrincipalWritesExactlyTheTopicsTheCatalogLetsIt() throws Exception {
        for (String service : Services.ALL) {
            try (KafkaProducer<String, String> producer = producer(service)) {
                for (TopicDefinition topic : EventCatalog.TOPICS) {
                    var sent = producer.send(new ProducerRecord<>(topic.name(), "key", "{\"by\":\"" + service + "\"}"));
                    if (writers(topic).contains(service)) {
                        sent.get();
                    } else {
                        assertThatThrownBy(sent::get).as("%s writes %s", service, topic.name())
                                .hasCauseInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void eachPrincipalReadsExactlyTheTopicsTheCatalogLetsIt() throws Exception {
        for (TopicDefinition topic : EventCatalog.TOPICS) {   // something to read everywhere, by a permitted writer
            try (KafkaProducer<String, String> writer = producer(writers(topic).iterator().next())) {
                writer.send(new ProducerRecord<>(topic.name(), "key", "{}")).get();
            }
        }
        for (String service : Services.ALL) {
            Map<String, Object> settings = new HashMap<>(settings(service).buildConsumerProperties());
            settings.remove(ConsumerConfig.GROUP_ID_CONFIG);   // assigned, as the gateway's views read: topic ACLs only
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
                for (TopicDefinition topic : EventCatalog.TOPICS) {
                    List<TopicPartition> partition = List.of(new TopicPartition(topic.name(), 0));
                    consumer.assign(partition);
                    consumer.seekToBeginning(partition);
                    if (topic.consumers().contains(service)) {
                        int read = 0;
                        for (int polls = 0; read == 0 && polls < 100; polls++) {
                            read = consumer.poll(Duration.ofMillis(200)).count();
                        }
                        assertThat(read).as("%s reads %s", service, topic.name()).isPositive();
                    } else {
                        assertThatThrownBy(() -> pollUntilRefused(consumer)).as("%s reads %s", service, topic.name())
                                .isInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void aConsumerUsesOnlyTheConsumerGroupsNamedAfterItself() throws Exception {
        try (KafkaProducer<String, String> chat = producer(Services.CHAT_SERVICE)) {
            chat.send(new ProducerRecord<>("usage.v1", "acct-3", "{}")).get();
        }
        try (KafkaConsumer<String, String> billing = new KafkaConsumer<>(settings(Services.BILLING_SERVICE).buildConsumerProperties())) {
            billing.subscribe(List.of("usage.v1"));
            int read = 0;
            for (int polls = 0; read == 0 && polls < 100; polls++) {
                read = billing.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).as("billing-service reads usage.v1 in its group").isPositive();
            billing.commitSync();
        }
        Map<String, Object> intruder = new HashMap<>(settings(Services.USAGE_SERVICE).buildConsumerProperties());
        intruder.put(ConsumerConfig.GROUP_ID_CONFIG, Services.BILLING_SERVICE);
        try (KafkaConsumer<String, String> usage = new KafkaConsumer<>(intruder)) {
            usage.subscribe(List.of("usage.v1"));
            assertThatThrownBy(() -> pollUntilRefused(usage)).as("usage-service joins billing-service's group")
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void nobodyGetsInWithoutTheirPassword() {
        Map<String, Object> settings = new HashMap<>(settings(Services.BILLING_SERVICE).buildProducerProperties());
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"billing-service\" password=\"" + PASSWORDS.get(Services.CHAT_SERVICE) + "\";");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        try (KafkaProducer<String, String> impostor = new KafkaProducer<>(settings)) {
            assertThatThrownBy(() -> impostor.send(new ProducerRecord<>("accounts.v1", "acct-1", "{}")).get())
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** Who may write the topic: its writers; for a dead-letter topic, the consumers of the topic it belongs to. */
    private static Set<String> writers(TopicDefinition topic) {
        if (!topic.isDeadLetterTopic()) {
            return topic.writers();
        }
        return EventCatalog.TOPICS.stream().filter(t -> t.deadLetterTopic().equals(topic.name()))
                .findFirst().orElseThrow().consumers();
    }

    private static void pollUntilRefused(KafkaConsumer<String, String> consumer) {
        for (int polls = 0; polls < 100; polls++) {
            consumer.poll(Duration.ofMillis(200));
        }
    }

    private static KafkaProducer<String, String> producer(String service) {
        Map<String, Object> settings = new HashMap<>(settings(service).buildProducerProperties());
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        return new KafkaProducer<>(settings);
    }

    /**
     * The service's Kafka settings as it binds them: the kit's defaults with the variables a deployment sets
     * (docker-compose.yml and the Kubernetes manifests set the same; DockerComposeTest and KubernetesManifestsTest
     * check that they do).
     */
    private static KafkaProperties settings(String service) {
        Properties defaults = new Properties();
        try (InputStream in = Files.newInputStream(Platform.ROOT.resolve("service-kit/src/main/resources/platform-defaults.properties"))) {
            defaults.load(in);
        } catch (IOException e) {
            throw new KafkaException(e);
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("deployment", Map.of(
                "spring.application.name", service,
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_PASSWORD", PASSWORDS.get(service),
                // the checks poll topic after topic until a record or a refusal comes: an empty fetch need not
                // wait the platform's 5 s (security settings are what this test reads from the defaults)
                "spring.kafka.consumer.fetch-max-wait", "200ms")));
        environment.getPropertySources().addLast(new PropertiesPropertySource("platform-defaults", defaults));
        return Binder.get(environment).bind("spring.kafka", KafkaProperties.class).get();
    }

    /** kafka-storage.sh, kafka-server-start.sh and the admin tools, as the image's /opt/kafka/bin has them. */
    private static Path writeToolWrappers() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Map<String, String> tools = Map.of(
                "kafka-storage.sh", "kafka.tools.StorageTool",
                "kafka-server-start.sh", "kafka.Kafka",
                "kafka-topics.sh", "org.apache.kafka.tools.TopicCommand",
                "kafka-configs.sh", "kafka.admin.ConfigCommand",
                "kafka-acls.sh", "org.apache.kafka.tools.AclCommand");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (var tool : tools.entrySet()) {
            String heap = tool.getKey().equals("kafka-server-start.sh") ? "-Xmx512m" : "-Xmx128m -XX:TieredStopAtLevel=1";
            Path wrapper = bin.resolve(tool.getKey());
            Files.writeString(wrapper, "#!/bin/sh\nexec '%s' %s -XX:+UseSerialGC -cp '%s' %s \"$@\"\n"
                    .formatted(java, heap, System.getProperty("java.class.path"), tool.getValue()));
            assertThat(wrapper.toFile().setExecutable(true)).isTrue();
        }
        return bin;
    }

    private static String brokerLogTail() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("broker.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Passwords as kafka-init accepts them (openssl rand -hex 32). */
    private static String password() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}

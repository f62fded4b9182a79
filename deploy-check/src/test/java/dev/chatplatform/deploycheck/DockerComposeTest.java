package dev.chatplatform.deploycheck;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml starts what the services need, in a healthy order, with the variables their code reads. */
class DockerComposeTest {

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:?[-?])?[^}]*}");

    private static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() {
        Map<String, Object> compose = new Yaml().load(Platform.read(Platform.ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Object>) compose.get("services");
    }

    @Test
    void composeRunsTheInfrastructureAndEveryService() {
        assertThat(services).containsKeys("kafka", "postgres", "redis", "otel-collector", "jaeger", "prometheus", "grafana");
        assertThat(services).containsKeys(Platform.SERVICES.toArray(String[]::new));
        assertThat((String) service("kafka").get("image")).startsWith("apache/kafka:");
        assertThat(volumes("kafka")).as("the broker of the dev overlay and KafkaSecurityTest")
                .contains("./deploy/infra/dev/kafka-broker.sh:/etc/kafka-broker/kafka-broker.sh:ro",
                        "./deploy/infra/dev/kafka-broker.properties:/etc/kafka-broker/kafka-broker.properties:ro");
        assertThat(service("kafka").get("entrypoint")).isEqualTo(List.of("sh", "/etc/kafka-broker/kafka-broker.sh"));
    }

    @Test
    void everyServiceGetsTheVariablesItsConfigurationNeeds() {
        for (String name : Platform.SERVICES) {
            Map<String, String> env = environment(name);
            assertThat(env.keySet()).as("%s: variables set", name).containsAll(Platform.requiredVariables(name));
            assertThat(env.keySet()).as("%s: variables no code reads (typos?)", name)
                    .allMatch(v -> Platform.knownVariable(name, v));
            assertThat(env.get("PORT")).isEqualTo(Integer.toString(Platform.port(name)));
            Platform.database(name).ifPresent(db ->
                    assertThat(env.get("DATABASE_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + db));
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
            URI otlp = URI.create(env.get(Platform.OTLP_ENDPOINT));
            assertThat(services).containsKey(otlp.getHost());
            assertThat(otlp.getPath()).isEqualTo("/v1/traces");
            env.keySet().stream().filter(Platform::isServiceUrl).forEach(variable -> {
                String target = Platform.serviceOfUrlVariable(variable);
                assertThat(env.get(variable)).isEqualTo("http://" + target + ":" + Platform.port(target));
            });
        }
    }

    @Test
    void secretsComeFromTheUncommittedEnvFile() throws Exception {
        Properties example = new Properties();
        try (var in = Files.newInputStream(Platform.ROOT.resolve(".env.example"))) {
            example.load(in);
        }
        assertThat(Platform.read(Platform.ROOT.resolve(".gitignore")).lines()).as(".env is git-ignored").contains(".env");
        for (String name : Platform.SERVICES) {
            Map<String, String> env = environment(name);
            for (String secret : List.of("PLATFORM_IDENTITY_SECRET", "PLATFORM_ADMIN_API_KEY", "DATABASE_PASSWORD")) {
                if (env.containsKey(secret)) {
                    assertThat(env.get(secret)).as("%s %s is not written in the file", name, secret)
                            .startsWith("${" + secret + ":?");
                }
            }
        }
        Matcher required = INTERPOLATION.matcher(Platform.read(Platform.ROOT.resolve("docker-compose.yml")));
        while (required.find()) {
            if (":?".equals(required.group(2)) || "?".equals(required.group(2))) {
                assertThat(example).as(".env.example shows %s", required.group(1)).containsKey(required.group(1));
            }
        }
        assertThat(example.getProperty("PLATFORM_IDENTITY_SECRET")).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void servicesStartOnlyOnceWhatTheyNeedIsHealthy() {
        for (String name : Platform.SERVICES) {
            Map<String, Object> dependsOn = map(service(name).get("depends_on"));
            assertThat(condition(dependsOn, "kafka")).as("%s waits for Kafka", name).isEqualTo("service_healthy");
            assertThat(condition(dependsOn, "kafka-init")).as("%s waits for the topics", name)
                    .isEqualTo("service_completed_successfully");
            if (Platform.database(name).isPresent()) {
                assertThat(condition(dependsOn, "postgres")).as("%s waits for PostgreSQL", name).isEqualTo("service_healthy");
            }
            environment(name).keySet().stream().filter(Platform::isServiceUrl).forEach(v ->
                    assertThat(condition(dependsOn, Platform.serviceOfUrlVariable(v))).as("%s waits for %s", name, v)
                            .isEqualTo("service_healthy"));
            @SuppressWarnings("unchecked")
            List<String> check = (List<String>) map(service(name).get("healthcheck")).get("test");
            assertThat(String.join(" ", check)).as("%s health check", name).contains("/actuator/health/");
        }
        for (String infra : List.of("kafka", "postgres", "redis")) {
            assertThat(service(infra)).as("%s has a health check", infra).containsKey("healthcheck");
        }
    }

    @Test
    void theInitScriptsCreateOneDatabasePerServiceAndKafkaTheCatalog() {
        String init = Platform.read(Platform.ROOT.resolve("deploy/compose/postgres/init-databases.sh"));
        List<String> databases = Platform.SERVICES.stream().flatMap(s -> Platform.database(s).stream()).toList();
        assertThat(init).contains("for db in " + String.join(" ", databases) + ";");
        assertThat(volumes("postgres")).anyMatch(v -> v.startsWith("./deploy/compose/postgres/init-databases.sh:/docker-entrypoint-initdb.d/"));

        assertThat(volumes("kafka-init")).as("kafka-init.sh and the grants generated from the catalog (KafkaCatalogTest)")
                .contains("./deploy/base/platform/kafka-init.sh:/scripts/kafka-init.sh:ro",
                        "./deploy/base/platform/kafka-catalog.sh:/scripts/kafka-catalog.sh:ro");
    }

    @Test
    void eachServiceSignsInToKafkaAsItselfWithThePasswordKafkaInitGaveIt() {
        Map<String, String> init = environment("kafka-init");
        assertThat(init.get("KAFKA_ADMIN_PASSWORD")).isEqualTo(environment("kafka").get("KAFKA_ADMIN_PASSWORD"))
                .startsWith("${KAFKA_ADMIN_PASSWORD:?");
        for (String name : Platform.SERVICES) {
            Map<String, String> env = environment(name);
            String password = KafkaGrants.passwordVariable(name);
            assertThat(env.get("KAFKA_SECURITY_PROTOCOL")).as(name).isEqualTo("SASL_PLAINTEXT");
            assertThat(env.get("KAFKA_CREATE_TOPICS")).as("%s leaves topics to kafka-init", name).isEqualTo("false");
            assertThat(env).as("%s signs in as User:%s", name, name).doesNotContainKey("KAFKA_SASL_USERNAME");
            assertThat(env.get("KAFKA_SASL_PASSWORD")).as(name).startsWith("${" + password + ":?");
            assertThat(init.get(password)).as("kafka-init creates %s", name).startsWith("${" + password + ":?");
        }
    }

    @Test
    void prometheusScrapesAndGrafanaShowsEveryService() throws Exception {
        String prometheus = Platform.read(Platform.ROOT.resolve("deploy/compose/prometheus.yml"));
        for (String name : Platform.SERVICES) {
            assertThat(prometheus).contains("- " + name + ":" + Platform.port(name));
            Path dashboard = Platform.ROOT.resolve("deploy/compose/grafana/dashboards/" + name + ".json");
            assertThat(dashboard).as("a Grafana dashboard for %s", name).exists();
            Map<String, Object> json = new Yaml().load(Files.readString(dashboard));   // JSON is YAML
            assertThat(json.get("uid")).isEqualTo("cp-" + name);
            assertThat(Files.readString(dashboard)).contains("service=\\\"" + name + "\\\"");
        }
        assertThat(volumes("grafana")).contains("./deploy/compose/grafana/dashboards:/var/lib/grafana/dashboards:ro");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    private static Map<String, String> environment(String name) {
        Map<String, String> env = new java.util.HashMap<>();
        map(service(name).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(String name) {
        return (List<String>) service(name).getOrDefault("volumes", List.of());
    }

    private static String condition(Map<String, Object> dependsOn, String on) {
        Object entry = dependsOn.get(on);
        return entry == null ? null : String.valueOf(map(entry).get("condition"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}

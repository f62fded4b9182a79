package dev.chatplatform.deploycheck;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every overlay under deploy/overlays renders, passes schema validation and deploys what the services need. */
class KubernetesManifestsTest {

    private static final Map<String, RenderedManifests> RENDERED = new ConcurrentHashMap<>();
    private static final Duration KIT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

    static List<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(Platform.ROOT.resolve("deploy/overlays"))) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    private static RenderedManifests rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, RenderedManifests::render);
    }

    @Test
    void thereIsADevAndAProductionOverlay() throws IOException {
        assertThat(overlays()).contains("dev", "production");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayRendersIntoValidObjectsInItsOwnNamespace(String overlay) {
        RenderedManifests m = rendered(overlay);
        assertThat(m.objects).isNotEmpty();
        List<Namespace> namespaces = m.all(Namespace.class);
        assertThat(namespaces).as("%s declares its namespace", overlay).hasSize(1);
        String namespace = namespaces.getFirst().getMetadata().getName();
        for (HasMetadata o : m.objects) {
            if (!(o instanceof Namespace)) {
                assertThat(o.getMetadata().getNamespace()).as("%s %s", o.getKind(), o.getMetadata().getName())
                        .isEqualTo(namespace);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceIsDeployedWithProbesResourcesAndAPinnedImage(String overlay) {
        RenderedManifests m = rendered(overlay);
        for (String service : Platform.SERVICES) {
            Deployment deployment = m.get(Deployment.class, service);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(matches(deployment.getSpec().getSelector(), podLabels)).as("%s selector", service).isTrue();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().getFirst();
            assertThat(container.getImage()).as("%s image", service).matches("[^:]*" + service + ":[^:]+");
            int port = Platform.port(service);
            assertThat(container.getPorts()).as("%s ports", service)
                    .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(port));

            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");

            assertThat(container.getResources().getRequests()).as("%s requests", service).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as("%s limits", service).containsKey("memory");

            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("%s runs as non-root", service).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();

            Service svc = m.get(Service.class, service);
            assertThat(svc.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(port));
            assertThat(matches(svc.getSpec().getSelector(), podLabels)).as("%s Service selects its pods", service).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceScalesAndSurvivesDisruption(String overlay) {
        RenderedManifests m = rendered(overlay);
        for (String service : Platform.SERVICES) {
            Map<String, String> podLabels = m.get(Deployment.class, service).getSpec().getTemplate().getMetadata().getLabels();
            HorizontalPodAutoscaler hpa = m.get(HorizontalPodAutoscaler.class, service);
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(service);
            assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            PodDisruptionBudget pdb = m.get(PodDisruptionBudget.class, service);
            assertThat(matches(pdb.getSpec().getSelector(), podLabels)).as("%s PDB selects its pods", service).isTrue();
            if (overlay.equals("production")) {
                assertThat(hpa.getSpec().getMinReplicas()).as("%s keeps a replica through a disruption", service)
                        .isGreaterThanOrEqualTo(2);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void shutdownDrainsInFlightStreamsBeforeKubernetesKillsThePod(String overlay) {
        RenderedManifests m = rendered(overlay);
        for (String service : Platform.SERVICES) {
            PodSpec pod = m.get(Deployment.class, service).getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().getFirst();
            List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
            assertThat(preStop).as("%s preStop", service).hasSize(2).startsWith("sleep");
            Duration sleep = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
            Duration phase = environment(m, service).containsKey("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE")
                    ? springDuration(environment(m, service).get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"))
                    : KIT_SHUTDOWN_PHASE;
            assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()))
                    .as("%s: terminationGracePeriodSeconds covers preStop %s + shutdown phase %s", service, sleep, phase)
                    .isGreaterThan(sleep.plus(phase));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceGetsTheVariablesItsConfigurationNeeds(String overlay) {
        RenderedManifests m = rendered(overlay);
        for (String service : Platform.SERVICES) {
            Map<String, String> env = environment(m, service);
            assertThat(env.keySet()).as("%s: variables set in %s", service, overlay)
                    .containsAll(Platform.requiredVariables(service));
            assertThat(env.keySet()).as("%s: variables no code reads (typos?)", service)
                    .allMatch(name -> Platform.knownVariable(service, name));
            assertThat(env.get("PORT")).isEqualTo(Integer.toString(Platform.port(service)));
            Platform.database(service).ifPresent(db -> assertThat(env.get("DATABASE_URL"))
                    .as("%s database", service).matches("jdbc:postgresql://[^/]+/" + db));
            env.keySet().stream().filter(Platform::isServiceUrl).forEach(variable -> {
                String target = Platform.serviceOfUrlVariable(variable);
                assertThat(env.get(variable)).as("%s %s", service, variable)
                        .isEqualTo("http://" + target + ":" + m.get(Service.class, target).getSpec().getPorts().getFirst().getPort());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void referencedConfigMapsExistAndSecretsAreTheDocumentedOnes(String overlay) {
        RenderedManifests m = rendered(overlay);
        Set<String> configMaps = m.all(ConfigMap.class).stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> documentedSecrets = new HashSet<>(Set.of("platform-secrets", "provider-api-keys", "billing-secrets",
                "kafka-credentials"));
        Platform.SERVICES.forEach(s -> Platform.database(s).ifPresent(db -> documentedSecrets.add(db + "-database")));
        String guide = Platform.read(Platform.ROOT.resolve("deploy/README.md"));
        for (HasMetadata o : m.objects) {
            PodSpec pod = podSpec(o);
            if (pod == null) {
                continue;
            }
            for (Container c : pod.getContainers()) {
                for (EnvFromSource from : Objects.requireNonNullElse(c.getEnvFrom(), List.<EnvFromSource>of())) {
                    if (from.getSecretRef() != null) {
                        assertThat(documentedSecrets).as("%s envFrom", o.getMetadata().getName()).contains(from.getSecretRef().getName());
                        assertThat(guide).contains(from.getSecretRef().getName());
                    } else {
                        assertThat(configMaps).as("%s envFrom", o.getMetadata().getName()).contains(from.getConfigMapRef().getName());
                    }
                }
                for (EnvVar e : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
                    if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                        String name = e.getValueFrom().getConfigMapKeyRef().getName();
                        assertThat(configMaps).as("%s %s", o.getMetadata().getName(), e.getName()).contains(name);
                        assertThat(m.get(ConfigMap.class, name).getData()).containsKey(e.getValueFrom().getConfigMapKeyRef().getKey());
                    }
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        String secret = e.getValueFrom().getSecretKeyRef().getName();
                        assertThat(documentedSecrets).as("%s %s", o.getMetadata().getName(), e.getName()).contains(secret);
                        assertThat(guide).as("deploy/README.md explains how to create Secret %s", secret)
                                .contains(secret.endsWith("-database") ? "-database" : secret);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheGatewayAndDeclaredCallersReachAService(String overlay) {
        RenderedManifests m = rendered(overlay);
        assertThat(m.all(NetworkPolicy.class)).as("namespace-wide default deny")
                .anySatisfy(p -> {
                    assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
                    assertThat(p.getSpec().getPolicyTypes()).contains("Ingress");
                    assertThat(p.getSpec().getIngress()).isNullOrEmpty();
                });
        for (String service : Platform.SERVICES) {
            if (service.equals("gateway")) {
                continue;
            }
            Set<String> allowed = new HashSet<>(Set.of("gateway"));
            for (String caller : Platform.SERVICES) {
                environment(m, caller).keySet().stream().filter(Platform::isServiceUrl)
                        .filter(v -> Platform.serviceOfUrlVariable(v).equals(service)).forEach(v -> allowed.add(caller));
            }
            Map<String, String> podLabels = m.get(Deployment.class, service).getSpec().getTemplate().getMetadata().getLabels();
            for (NetworkPolicy policy : ingressPoliciesSelecting(m, podLabels)) {
                policy.getSpec().getIngress().forEach(rule -> {
                    assertThat(rule.getFrom()).as("%s: rule of %s open to everyone", service, policy.getMetadata().getName())
                            .isNotEmpty();
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        if (peer.getPodSelector() != null) {
                            String from = peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name");
                            assertThat(allowed).as("%s reachable from pods %s", service, peer.getPodSelector().getMatchLabels())
                                    .contains(from);
                        } else {
                            assertThat(peer.getNamespaceSelector().getMatchLabels())
                                    .as("%s: only the monitoring namespace may scrape it", service)
                                    .containsEntry("kubernetes.io/metadata.name", "monitoring");
                        }
                    }
                });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void eachDatabaseIsReachedOnlyByItsServiceAndKafkaByAllServices(String overlay) {
        RenderedManifests m = rendered(overlay);
        Map<String, String> kafkaPod = Map.of("chat-platform.dev/component", "kafka");
        assertThat(ingressPoliciesSelecting(m, kafkaPod)).as("a policy opens Kafka to its clients").isNotEmpty();
        for (String service : Platform.SERVICES) {
            Map<String, String> podLabels = m.get(Deployment.class, service).getSpec().getTemplate().getMetadata().getLabels();
            assertThat(ingressPoliciesSelecting(m, kafkaPod)).as("%s may reach Kafka", service)
                    .anySatisfy(p -> assertThat(p.getSpec().getIngress()).anySatisfy(rule ->
                            assertThat(rule.getFrom()).anySatisfy(peer -> assertThat(peer.getPodSelector() != null
                                    && peer.getNamespaceSelector() == null
                                    && matches(peer.getPodSelector(), podLabels)).isTrue())));
            List<NetworkPolicy> egress = m.all(NetworkPolicy.class).stream()
                    .filter(p -> p.getSpec().getPolicyTypes().contains("Egress") && matches(p.getSpec().getPodSelector(), podLabels))
                    .toList();
            assertThat(egress).as("%s has an egress policy", service).isNotEmpty();
            Set<String> databasesReached = egress.stream().flatMap(p -> p.getSpec().getEgress().stream())
                    .flatMap(r -> r.getTo().stream()).filter(peer -> peer.getPodSelector() != null)
                    .map(peer -> peer.getPodSelector().getMatchLabels().get("chat-platform.dev/database"))
                    .filter(Objects::nonNull).collect(Collectors.toSet());
            assertThat(databasesReached).as("%s egress to databases", service)
                    .isEqualTo(Platform.database(service).map(Set::of).orElse(Set.of()));
            assertThat(egress.stream().flatMap(p -> p.getSpec().getEgress().stream()).flatMap(r -> r.getTo().stream()))
                    .as("%s egress to Kafka", service)
                    .anySatisfy(peer -> assertThat(peer.getPodSelector()).isNotNull()
                            .extracting(LabelSelector::getMatchLabels).isEqualTo(kafkaPod));
        }
        for (String owner : Platform.SERVICES) {
            Platform.database(owner).ifPresent(db -> {
                List<NetworkPolicy> policies = ingressPoliciesSelecting(m, Map.of("chat-platform.dev/database", db));
                assertThat(policies).as("a policy guards the %s database", db).isNotEmpty();
                policies.forEach(p -> p.getSpec().getIngress().forEach(rule -> assertThat(rule.getFrom())
                        .as("%s database peers", db).isNotEmpty()
                        .allSatisfy(peer -> {
                            assertThat(peer.getNamespaceSelector()).isNull();
                            assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/name", owner));
                        })));
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theJobKafkaInitGrantsWhatTheCatalogSaysAsTheAdmin(String overlay) {
        RenderedManifests m = rendered(overlay);
        Job job = m.get(Job.class, "kafka-init");
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Map<String, String> scripts = mountedConfigMap(m, pod);
        assertThat(scripts).as("the Job's scripts, as checked in (KafkaCatalogTest: the catalog's grants)")
                .containsEntry("kafka-init.sh", Platform.read(KafkaGrants.INIT_SCRIPT))
                .containsEntry("kafka-catalog.sh", Platform.read(KafkaGrants.FILE));
        Container container = pod.getContainers().getFirst();
        assertThat(container.getCommand()).isEqualTo(List.of("sh", "/scripts/kafka-init.sh"));
        assertThat(secretKey(container, "KAFKA_ADMIN_PASSWORD")).isEqualTo("kafka-credentials/admin");
        for (String service : Platform.SERVICES) {
            assertThat(secretKey(container, KafkaGrants.passwordVariable(service))).as("kafka-init creates User:%s", service)
                    .isEqualTo("kafka-credentials/" + service);
        }
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .as("the Job may reach Kafka").containsEntry("chat-platform.dev/kafka-client", "true");
        if (overlay.equals("production")) {
            Map<String, String> topics = m.generated(ConfigMap.class, "platform-topics-config").getData();
            assertThat(Integer.parseInt(topics.get("TOPIC_REPLICATION_FACTOR"))).isGreaterThanOrEqualTo(3);
            assertThat(Integer.parseInt(topics.get("TOPIC_MIN_INSYNC_REPLICAS"))).isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void eachServiceSignsInToKafkaAsItselfAndLeavesTheTopicsToKafkaInit(String overlay) {
        RenderedManifests m = rendered(overlay);
        Map<String, String> platform = m.generated(ConfigMap.class, "platform-config").getData();
        assertThat(platform).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT").containsEntry("KAFKA_CREATE_TOPICS", "false");
        for (String service : Platform.SERVICES) {
            Container container = m.get(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertThat(secretKey(container, "KAFKA_SASL_PASSWORD")).as("%s's Kafka password", service)
                    .isEqualTo("kafka-credentials/" + service);
            assertThat(environment(m, service)).as("%s signs in as User:%s", service, service)
                    .doesNotContainKey("KAFKA_SASL_USERNAME");
        }
    }

    @Test
    void theDevBrokerIsTheOneKafkaSecurityTestProves() {
        RenderedManifests m = rendered("dev");
        PodSpec pod = m.get(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "kafka").getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();
        assertThat(container.getCommand()).isEqualTo(List.of("sh", "/etc/kafka-broker/kafka-broker.sh"));
        assertThat(mountedConfigMap(m, pod))
                .containsEntry("kafka-broker.sh", Platform.read(Platform.ROOT.resolve("deploy/infra/dev/kafka-broker.sh")))
                .containsEntry("kafka-broker.properties", Platform.read(Platform.ROOT.resolve("deploy/infra/dev/kafka-broker.properties")));
        assertThat(secretKey(container, "KAFKA_ADMIN_PASSWORD")).isEqualTo("kafka-credentials/admin");
    }

    /** The data of the one ConfigMap the pod mounts. */
    private static Map<String, String> mountedConfigMap(RenderedManifests m, PodSpec pod) {
        String name = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow()
                .getConfigMap().getName();
        return m.get(ConfigMap.class, name).getData();
    }

    /** {@code <secret>/<key>} of the container's variable, or null when it does not come from a Secret. */
    private static String secretKey(Container container, String variable) {
        return Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of()).stream()
                .filter(e -> e.getName().equals(variable) && e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                .findFirst().orElse(null);
    }

    /** The variables a service's container gets: its env plus every key of its envFrom ConfigMaps. */
    private static Map<String, String> environment(RenderedManifests m, String service) {
        Container container = m.get(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, String> env = new HashMap<>();
        for (EnvFromSource from : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            if (from.getConfigMapRef() != null) {   // optional Secrets are made outside the manifests
                env.putAll(m.get(ConfigMap.class, from.getConfigMapRef().getName()).getData());
            }
        }
        for (EnvVar e : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            env.put(e.getName(), e.getValue() != null ? e.getValue() : "(from " + e.getValueFrom() + ")");
        }
        return env;
    }

    private static List<NetworkPolicy> ingressPoliciesSelecting(RenderedManifests m, Map<String, String> podLabels) {
        return m.all(NetworkPolicy.class).stream()
                .filter(p -> p.getSpec().getPolicyTypes().contains("Ingress"))
                .filter(p -> p.getSpec().getPodSelector().getMatchLabels() != null
                        && !p.getSpec().getPodSelector().getMatchLabels().isEmpty())
                .filter(p -> matches(p.getSpec().getPodSelector(), podLabels))
                .toList();
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return matches(selector.getMatchLabels(), labels)
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static PodSpec podSpec(HasMetadata o) {
        if (o instanceof Deployment d) {
            return d.getSpec().getTemplate().getSpec();
        }
        if (o instanceof Job j) {
            return j.getSpec().getTemplate().getSpec();
        }
        if (o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
            return s.getSpec().getTemplate().getSpec();
        }
        return null;
    }

    private static Duration springDuration(String value) {
        try {
            return Duration.parse("PT" + value.toUpperCase());
        } catch (DateTimeParseException e) {
            throw new AssertionError("not a duration: " + value, e);
        }
    }
}

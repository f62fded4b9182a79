package dev.chatplatform.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where and how the local platform runs.
 *
 * @param projectDir     the checkout (service jars are at {@code <module>/target/<module>.jar})
 * @param dataDir        PostgreSQL data, Kafka logs, secrets, demo key and service logs; reused across runs
 * @param basePort       the gateway's port; services take the next six
 * @param kafkaPort      the broker's client port (the controller uses the next one)
 * @param postgresPort   PostgreSQL's port
 * @param jvmOptions     options for every service JVM
 * @param serviceEnv     extra environment for every service (the simulated model's speed, Stripe settings)
 * @param startupTimeout how long every service together may take to become ready
 * @param jvmCache       whether service JVMs run from their extracted jars with a class cache ({@link JvmCache})
 */
record LauncherConfig(Path projectDir, Path dataDir, int basePort, int kafkaPort, int postgresPort,
                      List<String> jvmOptions, Map<String, String> serviceEnv, Duration startupTimeout,
                      boolean jvmCache) {

    /**
     * Without the class cache: the whole-platform tests build their configuration here and keep the plain jars, so
     * their restarts and stops do not wait for a JVM writing its cache (a measured choice is still to come, see the
     * launcher README).
     */
    LauncherConfig(Path projectDir, Path dataDir, int basePort, int kafkaPort, int postgresPort,
                   List<String> jvmOptions, Map<String, String> serviceEnv, Duration startupTimeout) {
        this(projectDir, dataDir, basePort, kafkaPort, postgresPort, jvmOptions, serviceEnv, startupTimeout, false);
    }

    /** Reads {@code PLATFORM_*} variables; defaults suit a developer machine. */
    static LauncherConfig fromEnvironment(Map<String, String> env) {
        Path project = Path.of(env.getOrDefault("PLATFORM_PROJECT_DIR", ".")).toAbsolutePath().normalize();
        Path data = env.containsKey("PLATFORM_DATA_DIR")
                ? Path.of(env.get("PLATFORM_DATA_DIR")).toAbsolutePath()
                : project.resolve(".platform-data");
        return new LauncherConfig(project, data,
                Integer.parseInt(env.getOrDefault("PLATFORM_BASE_PORT", "8080")),
                Integer.parseInt(env.getOrDefault("PLATFORM_KAFKA_PORT", "19092")),
                Integer.parseInt(env.getOrDefault("PLATFORM_POSTGRES_PORT", "15432")),
                List.of(env.getOrDefault("PLATFORM_SERVICE_JVM_OPTS", "-Xms64m -Xmx320m -XX:+UseSerialGC -Xss512k").split("\\s+")),
                serviceEnv(env),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("PLATFORM_STARTUP_TIMEOUT_SECONDS", "300"))),
                !"off".equals(env.get("PLATFORM_JVM_CACHE")));
    }

    /**
     * The simulated model's speed, and every {@code STRIPE_*}, provider ({@code OPENAI_*},
     * {@code OPENAI_COMPATIBLE_*}) and provider-service ({@code PROVIDER_*}) variable of {@code env}: services inherit
     * the launcher's own environment anyway, but a caller that starts the platform with its own map (a benchmark
     * pointing billing-service at a local Stripe stand-in, or provider-service at a local OpenAI-compatible upstream
     * with its concurrency limit raised) needs them passed on.
     */
    private static Map<String, String> serviceEnv(Map<String, String> env) {
        Map<String, String> serviceEnv = new HashMap<>();
        serviceEnv.put("SIMULATED_FIRST_TOKEN_DELAY", env.getOrDefault("SIMULATED_FIRST_TOKEN_DELAY", "250ms"));
        serviceEnv.put("SIMULATED_TOKENS_PER_SECOND", env.getOrDefault("SIMULATED_TOKENS_PER_SECOND", "40"));
        env.forEach((name, value) -> {
            if (name.startsWith("STRIPE_") || name.startsWith("OPENAI_") || name.startsWith("PROVIDER_")) {
                serviceEnv.put(name, value);
            }
        });
        return Map.copyOf(serviceEnv);
    }

    int port(Service service) {
        return basePort + service.portOffset;
    }

    String url(Service service) {
        return "http://localhost:" + port(service);
    }

    Path jar(Service service) {
        return projectDir.resolve(service.module).resolve("target").resolve(service.module + ".jar");
    }

    void requireJars() {
        for (Service s : Service.values()) {
            if (!Files.isRegularFile(jar(s))) {
                throw new IllegalStateException("missing " + jar(s) + ": build first (./mvnw -DskipTests package)");
            }
        }
    }
}

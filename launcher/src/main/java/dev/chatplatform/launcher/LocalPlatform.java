package dev.chatplatform.launcher;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole platform on this machine. {@link #start} returns once every service is ready and the demo
 * key works; {@link #close} stops the services gracefully, then Kafka, then PostgreSQL.
 */
public final class LocalPlatform implements AutoCloseable {

    private final LauncherConfig config;
    private final Secrets secrets;
    private final List<ServiceProcess> services = new ArrayList<>();
    private LocalPostgres postgres;
    private LocalKafka kafka;
    private String demoApiKey;
    private Duration startupTime;

    private LocalPlatform(LauncherConfig config) {
        this.config = config;
        this.secrets = Secrets.loadOrCreate(config.dataDir());
    }

    static LocalPlatform start(LauncherConfig config) {
        config.requireJars();
        LocalPlatform platform = new LocalPlatform(config);
        try {
            platform.startAll();
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() {
        Instant begin = Instant.now();
        postgres = LocalPostgres.start(config.dataDir(), config.postgresPort());
        for (Service s : Service.values()) {
            if (s.database != null) {
                postgres.ensureDatabase(s.database);
            }
        }
        kafka = LocalKafka.start(config.dataDir(), config.kafkaPort());
        for (Service s : Service.values()) {
            services.add(ServiceProcess.start(s, config.jar(s), config.jvmOptions(), config.jvmCache(), environmentFor(s),
                    config.dataDir().resolve("logs"), config.url(s)));
        }
        Instant deadline = Instant.now().plus(config.startupTimeout());
        CompletableFuture.allOf(services.stream()
                        .map(p -> CompletableFuture.runAsync(() -> p.awaitReady(deadline)))
                        .toArray(CompletableFuture[]::new))
                .join();
        demoApiKey = DemoAccount.ensure(config.url(Service.GATEWAY), secrets.adminApiKey(), config.dataDir());
        startupTime = Duration.between(begin, Instant.now());
    }

    private Map<String, String> environmentFor(Service service) {
        Map<String, String> env = new java.util.HashMap<>(config.serviceEnv());
        env.put("PORT", Integer.toString(config.port(service)));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("PLATFORM_IDENTITY_SECRET", secrets.identitySecret());
        if (service.database != null) {
            env.put("DATABASE_URL", postgres.jdbcUrl(service.database));
            env.put("DATABASE_USERNAME", "postgres");
            env.put("DATABASE_PASSWORD", "postgres");
        }
        if (service == Service.GATEWAY) {
            env.put("PLATFORM_ADMIN_API_KEY", secrets.adminApiKey());
        }
        for (Service other : Service.values()) {
            if (other.urlVariable != null) {
                env.put(other.urlVariable, config.url(other));
            }
        }
        return env;
    }

    public String gatewayUrl() {
        return config.url(Service.GATEWAY);
    }

    public String demoApiKey() {
        return demoApiKey;
    }

    public String adminApiKey() {
        return secrets.adminApiKey();
    }

    public String identitySecret() {
        return secrets.identitySecret();
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** JDBC URL of one database on the platform's PostgreSQL (user and password {@code postgres}). */
    public String postgresJdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    public String providerServiceUrl() {
        return config.url(Service.PROVIDER);
    }

    public String chatServiceUrl() {
        return config.url(Service.CHAT);
    }

    public String usageServiceUrl() {
        return config.url(Service.USAGE);
    }

    /**
     * Lifts the free tier's limits (the demo account's tier) far above anything a test or benchmark sends,
     * through the admin API, so that load measures the platform rather than its quotas.
     */
    public void liftFreeTierLimits() {
        DemoAccount.setFreeTierLimits(gatewayUrl(), secrets.adminApiKey(), demoApiKey, Map.of(
                "messagesPerDay", 100_000_000L, "tokensPerMonth", 100_000_000_000L,
                "costMicroUsdPerMonth", 100_000_000_000L, "requestsPerMinute", 1_000_000L,
                "tokensPerMinute", 1_000_000_000L, "allowedModels", java.util.List.of("*")));
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** Per service: how long it took to become ready and its resident memory now (KiB). */
    public Map<String, long[]> serviceStats() {
        Map<String, long[]> stats = new java.util.LinkedHashMap<>();
        for (ServiceProcess p : services) {
            stats.put(p.service.module, new long[]{p.startupTime() == null ? -1 : p.startupTime().toMillis(), p.residentKib()});
        }
        return stats;
    }

    /** Per service module name: the process id of its JVM (for benchmarks that read its CPU time). */
    public Map<String, Long> servicePids() {
        Map<String, Long> pids = new java.util.LinkedHashMap<>();
        services.forEach(p -> pids.put(p.service.module, p.pid()));
        return pids;
    }

    /**
     * Stops one service, by SIGKILL when {@code crash} (nothing drains, nothing commits) else gracefully, and starts
     * it again on the same data, waiting until it is ready. For tests that prove a service loses nothing.
     */
    void restart(Service service, boolean crash) {
        ServiceProcess old = services.stream().filter(p -> p.service == service).findFirst().orElseThrow();
        if (crash) {
            old.kill();
        } else {
            old.stop();
        }
        old.awaitExit(old.stopGrace());
        ServiceProcess fresh = ServiceProcess.start(service, config.jar(service), config.jvmOptions(), config.jvmCache(),
                environmentFor(service), config.dataDir().resolve("logs"), config.url(service));
        services.set(services.indexOf(old), fresh);
        fresh.awaitReady(Instant.now().plus(config.startupTimeout()));
    }

    /**
     * Stops PostgreSQL (a fast shutdown: every connection is cut, open transactions roll back), keeps it down for
     * {@code down}, then starts it again on the same data directory and port. The services are left running: they
     * must reconnect by themselves.
     */
    void restartPostgres(Duration down) {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("PostgreSQL did not stop", e);
        }
        pause(down);
        postgres = LocalPostgres.start(config.dataDir(), config.postgresPort());
    }

    /**
     * Shuts the Kafka broker down, keeps it down for {@code down}, then starts it again on the same port and log
     * directory (topics, records and committed offsets kept). The services are left running.
     */
    void restartKafka(Duration down) {
        kafka.close();
        pause(down);
        kafka = LocalKafka.start(config.dataDir(), config.kafkaPort());
    }

    /** A JDBC URL of one service's database, for tests that read what a service stored. */
    String jdbcUrl(String database) {
        return postgres.jdbcUrl(database);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    String logsDir() {
        return config.dataDir().resolve("logs").toString();
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::stop);
        services.forEach(p -> p.awaitExit(p.stopGrace()));
        services.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            postgres = null;
        }
    }

    /** Starts a platform from {@code PLATFORM_*} environment variables (see the README). */
    public static LocalPlatform startFromEnvironment(Map<String, String> env) {
        return start(LauncherConfig.fromEnvironment(env));
    }

}

package dev.chatplatform.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The seven deployable services as the code declares them: the environment variables their configuration
 * reads ({@code ${NAME:default}} in application.yml and the kit's platform-defaults.properties), their port
 * and their database, derived from those defaults so that the deployment files are checked against the code
 * rather than against a second copy of it.
 */
final class Platform {

    static final Path ROOT = findRoot();

    static final List<String> SERVICES = List.of("gateway", "chat-service", "provider-service", "billing-service",
            "usage-service", "rollout-service", "analytics-service");

    /** Set in every deployment although the code has a default: traces must leave the process. */
    static final String OTLP_ENDPOINT = "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT";

    /** Secrets with an empty default that the services refuse to start (or to be administered) without. */
    static final Set<String> REQUIRED_SECRETS = Set.of("PLATFORM_IDENTITY_SECRET", "PLATFORM_ADMIN_API_KEY");

    /**
     * The kit defaults these to the local platform's plaintext Kafka that services create topics on; every
     * deployment signs in with SCRAM and leaves the topics to kafka-init (KafkaSecurityTest).
     */
    static final Set<String> KAFKA_SECURITY = Set.of("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_PASSWORD", "KAFKA_CREATE_TOPICS");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");

    private Platform() {
    }

    /** A variable the configuration reads; {@code defaultValue} is null when there is none. */
    record Variable(String name, String defaultValue) {

        /**
         * True when a deployment must set it: it has no default, it is a secret the platform cannot run
         * without, or it locates the service or its infrastructure (whose defaults are localhost). Other
         * variables with an empty default switch optional features on (an LLM provider's key, Stripe).
         */
        boolean mustBeSet() {
            return defaultValue == null || REQUIRED_SECRETS.contains(name)
                    || name.matches("PORT|DATABASE_URL|KAFKA_BOOTSTRAP_SERVERS|[A-Z]+_SERVICE_URL")
                    || KAFKA_SECURITY.contains(name);
        }
    }

    static Map<String, Variable> variables(String service) {
        Map<String, Variable> found = new LinkedHashMap<>();
        List<Path> files = new java.util.ArrayList<>(configurationFiles(service));
        files.add(ROOT.resolve("service-kit/src/main/resources/platform-defaults.properties"));
        for (Path file : files) {
            Matcher m = PLACEHOLDER.matcher(read(file));
            while (m.find()) {
                found.putIfAbsent(m.group(1), new Variable(m.group(1), m.group(2)));
            }
        }
        return found;
    }

    /** The variables a deployment of the service must set. */
    static List<String> requiredVariables(String service) {
        Map<String, Variable> variables = variables(service);
        Stream<String> derived = variables.values().stream().filter(Variable::mustBeSet).map(Variable::name);
        Stream<String> credentials = database(service).isPresent()
                ? Stream.of("DATABASE_USERNAME", "DATABASE_PASSWORD") : Stream.empty();
        return Stream.of(derived, credentials, Stream.of(OTLP_ENDPOINT)).flatMap(s -> s).distinct().sorted().toList();
    }

    /** Whether a deployment may set this variable: the code reads it, or Spring or the JVM binds it. */
    static boolean knownVariable(String service, String name) {
        return variables(service).containsKey(name) || name.equals("JAVA_TOOL_OPTIONS")
                || Stream.of("SPRING_", "MANAGEMENT_", "SERVER_", "LOGGING_").anyMatch(name::startsWith);
    }

    static int port(String service) {
        return Integer.parseInt(defaultOf(service, "PORT"));
    }

    /** The database the service owns (the last segment of its default DATABASE_URL), if any. */
    static Optional<String> database(String service) {
        Variable url = variables(service).get("DATABASE_URL");
        return url == null ? Optional.empty()
                : Optional.of(url.defaultValue().substring(url.defaultValue().lastIndexOf('/') + 1));
    }

    /** The service another one finds through {@code variable} (e.g. PROVIDER_SERVICE_URL → provider-service). */
    static String serviceOfUrlVariable(String variable) {
        String prefix = variable.substring(0, variable.length() - "_SERVICE_URL".length()).toLowerCase();
        return SERVICES.stream().filter(s -> s.equals(prefix + "-service")).findFirst()
                .orElseThrow(() -> new AssertionError("no service for " + variable));
    }

    static boolean isServiceUrl(String variable) {
        return variable.endsWith("_SERVICE_URL");
    }

    private static String defaultOf(String service, String variable) {
        Variable v = variables(service).get(variable);
        if (v == null || v.defaultValue() == null) {
            throw new AssertionError(service + " reads no ${" + variable + ":default}");
        }
        return v.defaultValue();
    }

    private static List<Path> configurationFiles(String service) {
        Path resources = ROOT.resolve(service).resolve("src/main/resources");
        try (Stream<Path> files = Files.list(resources)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().matches("application.*\\.(yml|yaml|properties)"))
                    .sorted().toList();
            if (found.isEmpty()) {
                throw new AssertionError("no application.yml in " + resources);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy-check"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}

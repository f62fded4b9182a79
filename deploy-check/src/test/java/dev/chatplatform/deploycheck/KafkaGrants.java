package dev.chatplatform.deploycheck;

import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.Services;
import dev.chatplatform.contracts.event.TopicDefinition;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What Kafka must hold for the platform, derived from contracts' {@link EventCatalog} alone: one SCRAM user per
 * service ({@link Services}), every topic, and the ACLs: a topic's producer alone writes it; its consumers read it,
 * write its dead letters ({@code <topic>.dlt}) and use consumer groups named after themselves.
 *
 * <p>{@link #script()} renders it as the shell lines of {@code deploy/base/platform/kafka-catalog.sh}, which
 * kafka-init.sh sources; {@code KafkaCatalogTest} fails when the checked-in file differs.
 */
final class KafkaGrants {

    static final Path FILE = Platform.ROOT.resolve("deploy/base/platform/kafka-catalog.sh");

    /** The script that sources {@link #FILE}: docker compose's kafka-init service and the Kubernetes Job. */
    static final Path INIT_SCRIPT = Platform.ROOT.resolve("deploy/base/platform/kafka-init.sh");

    /** The system property that makes {@code KafkaCatalogTest} rewrite {@link #FILE} instead of failing. */
    static final String WRITE_PROPERTY = "kafka.catalog.write";

    private KafkaGrants() {
    }

    /** A service's grants: the topics it writes, the topics it reads, and the dead-letter topics it writes. */
    record Grants(String service, List<String> writes, List<String> reads, List<String> deadLetters) {

        static Grants of(String service) {
            List<TopicDefinition> read = EventCatalog.TOPICS.stream().filter(t -> t.consumers().contains(service)).toList();
            return new Grants(service,
                    EventCatalog.TOPICS.stream().filter(t -> service.equals(t.producer())).map(TopicDefinition::name).toList(),
                    read.stream().map(TopicDefinition::name).toList(),
                    read.stream().map(TopicDefinition::deadLetterTopic).toList());
        }

        /** Whether it consumes at all, so needs its consumer groups. */
        boolean consumes() {
            return !reads.isEmpty();
        }
    }

    static List<Grants> all() {
        return Services.ALL.stream().map(Grants::of).toList();
    }

    /** The variable kafka-init reads a service's SCRAM password from: {@code KAFKA_<SERVICE>_PASSWORD}. */
    static String passwordVariable(String service) {
        return "KAFKA_" + service.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
    }

    /** The content of {@link #FILE}. */
    static String script() {
        StringBuilder out = new StringBuilder("""
                # GENERATED from contracts' EventCatalog (each topic's producer and consumers) by deploy-check's
                # KafkaCatalogTest: do not edit. After changing the catalog, regenerate it with
                #   ./mvnw -pl deploy-check -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest=KafkaCatalogTest -D%s=true
                # Sourced by kafka-init.sh, which defines user, create, allow and groups.

                # one principal per service, User:<service>
                """.formatted(WRITE_PROPERTY));
        for (String service : Services.ALL) {
            String variable = passwordVariable(service);
            out.append("user %s \"${%s:?set %s}\"\n".formatted(service, variable, variable));
        }
        out.append("\n# every topic of the public event API, and its cleanup.policy\n");
        for (TopicDefinition topic : EventCatalog.TOPICS) {
            out.append("create %s %s\n".formatted(topic.name(), topic.compacted() ? "compact" : "delete"));
        }
        out.append("\n# a topic's producer alone writes it; its consumers read it and write its dead letters\n");
        for (Grants grants : all()) {
            line(out, grants.service(), "Write", grants.writes());
            line(out, grants.service(), "Read", grants.reads());
            line(out, grants.service(), "Write", grants.deadLetters());
        }
        out.append("\n# consumers use the consumer groups named after them (<service>, <service>-*)\n");
        all().stream().filter(Grants::consumes).forEach(g -> out.append("groups ").append(g.service()).append('\n'));
        return out.toString();
    }

    private static void line(StringBuilder out, String service, String operation, List<String> topics) {
        if (!topics.isEmpty()) {
            out.append("allow %s %s %s\n".formatted(service, operation, String.join(" ", topics)));
        }
    }
}

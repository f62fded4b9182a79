package dev.chatplatform.contracts.event;

import java.util.Objects;
import java.util.Set;

/**
 * A topic of the public event API and who may use it. Outside the local platform Kafka enforces the last two:
 * only the producer may write the topic and only its consumers may read it (the ACLs that
 * {@code deploy/base/platform/kafka-init.sh} grants; deploy-check fails when they differ from the catalog).
 *
 * @param name      the topic name, versioned ({@code usage.v1})
 * @param compacted true for state topics (latest value per key kept forever, tombstones delete)
 * @param key       what the record key is
 * @param producer  the one service that writes it ({@link Services}); null for a dead-letter topic, which the
 *                  consumers of its topic write
 * @param consumers the services that read it
 */
public record TopicDefinition(String name, boolean compacted, String key, String producer, Set<String> consumers) {

    /** {@code <topic>.dlt} holds the records of {@code <topic>} that a consumer could never process. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    public TopicDefinition {
        Objects.requireNonNull(name, "name");
        consumers = Set.copyOf(consumers);
        if (name.endsWith(DEAD_LETTER_SUFFIX) != (producer == null)) {
            throw new IllegalArgumentException(name + ": a dead-letter topic, and only one, has no producer of its own");
        }
    }

    /** The dead letters of {@code topic}: written by its consumers, read by operators only. */
    public static TopicDefinition deadLettersOf(TopicDefinition topic) {
        return new TopicDefinition(topic.deadLetterTopic(), false, topic.key() + " (as on " + topic.name() + ")",
                null, Set.of());
    }

    /** The name of this topic's dead-letter topic. */
    public String deadLetterTopic() {
        return name + DEAD_LETTER_SUFFIX;
    }

    public boolean isDeadLetterTopic() {
        return producer == null;
    }
}

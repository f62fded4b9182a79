package dev.chatplatform.contracts.event;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A topic of the public event API and who may use it. Outside the local platform Kafka enforces the last two:
 * only the producer may write the topic and only its consumers may read it (the ACLs that
 * {@code deploy/base/platform/kafka-init.sh} grants; deploy-check fails when they differ from the catalog).
 *
 * @param name      the topic name, versioned ({@code usage.v1})
 * @param compacted true for state topics (latest value per key kept forever, tombstones delete)
 * @param key       what the record key is
 * @param producer  the service that owns it and writes it ({@link Services}); null for a dead-letter topic, which
 *                  the consumers of its topic write
 * @param consumers the services that read it
 * @param alsoWrittenBy services that write some of its events in the producer's stead, with the event ids the
 *                  producer would have used (usage-service bills on {@code usage.v1} a request whose hold expired
 *                  without chat-service's event); empty for most topics
 */
public record TopicDefinition(String name, boolean compacted, String key, String producer, Set<String> consumers,
                              Set<String> alsoWrittenBy) {

    /** {@code <topic>.dlt} holds the records of {@code <topic>} that a consumer could never process. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    public TopicDefinition {
        Objects.requireNonNull(name, "name");
        consumers = Set.copyOf(consumers);
        alsoWrittenBy = Set.copyOf(alsoWrittenBy);
        if (name.endsWith(DEAD_LETTER_SUFFIX) != (producer == null)) {
            throw new IllegalArgumentException(name + ": a dead-letter topic, and only one, has no producer of its own");
        }
    }

    /** A topic its producer alone writes. */
    public TopicDefinition(String name, boolean compacted, String key, String producer, Set<String> consumers) {
        this(name, compacted, key, producer, consumers, Set.of());
    }

    /** Who may write it: its producer and {@link #alsoWrittenBy}; empty for a dead-letter topic (see its topic). */
    public Set<String> writers() {
        if (producer == null) {
            return Set.of();
        }
        Set<String> writers = new TreeSet<>(alsoWrittenBy);
        writers.add(producer);
        return Set.copyOf(writers);
    }

    /** Whether {@code service} may write this topic ({@link #writers()}, without building the set: checked per record). */
    public boolean isWrittenBy(String service) {
        return producer != null && (producer.equals(service) || alsoWrittenBy.contains(service));
    }

    /** The dead letters of {@code topic}: written by its consumers, read by operators only. */
    public static TopicDefinition deadLettersOf(TopicDefinition topic) {
        return new TopicDefinition(topic.deadLetterTopic(), false, topic.key() + " (as on " + topic.name() + ")",
                null, Set.of());
    }

    /** The name of this topic's dead-letter topic. */
    public String deadLetterTopic() {
        return deadLetterTopicOf(name);
    }

    /** The name of {@code topic}'s dead-letter topic: where its consumers copy the records they can never apply. */
    public static String deadLetterTopicOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    public boolean isDeadLetterTopic() {
        return producer == null;
    }
}

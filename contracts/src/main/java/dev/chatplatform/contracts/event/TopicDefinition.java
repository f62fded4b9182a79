package dev.chatplatform.contracts.event;

import java.util.Objects;

/**
 * A topic of the public event API.
 *
 * @param name      the topic name, versioned ({@code usage.v1}); a dead-letter topic is its topic's name plus
 *                  {@value #DEAD_LETTER_SUFFIX}
 * @param compacted true for state topics (latest value per key kept forever, tombstones delete)
 * @param key       what the record key is
 * @param producer  the only service that publishes on the topic (the {@code ce_source} of its records):
 *                  consumers refuse a record from anyone else. For a dead-letter topic: which consumers copy
 *                  refused records there (each names itself in a header).
 */
public record TopicDefinition(String name, boolean compacted, String key, String producer) {

    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    public TopicDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(producer, "producer");
    }

    /** The name of {@code topic}'s dead-letter topic: where its consumers copy the records they can never apply. */
    public static String deadLettersOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    /**
     * This topic's dead-letter topic: not compacted, keyed like this one, written by every consumer group of this
     * topic (with the original record's key, value and CloudEvents headers).
     */
    public TopicDefinition deadLetters() {
        if (isDeadLetters()) {
            throw new IllegalStateException(name + " is a dead-letter topic already");
        }
        return new TopicDefinition(deadLettersOf(name), false, key + " (as on " + name + ")", "consumers of " + name);
    }

    public boolean isDeadLetters() {
        return name.endsWith(DEAD_LETTER_SUFFIX);
    }
}

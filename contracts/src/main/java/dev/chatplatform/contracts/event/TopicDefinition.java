package dev.chatplatform.contracts.event;

/**
 * A topic of the public event API.
 *
 * @param name      the topic name, versioned ({@code usage.v1})
 * @param compacted true for state topics (latest value per key kept forever, tombstones delete)
 * @param key       what the record key is
 */
public record TopicDefinition(String name, boolean compacted, String key) {
}

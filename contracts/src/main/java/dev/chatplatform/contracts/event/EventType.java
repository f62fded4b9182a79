package dev.chatplatform.contracts.event;

import java.util.Objects;

/**
 * A logical, versioned event type as it travels on the wire ({@code usage.recorded.v1}), bound to the
 * record that carries its data and the topic it is published on. The Java class name never travels.
 *
 * @param name      the CloudEvents {@code type}, e.g. {@code usage.recorded.v1}
 * @param topic     the Kafka topic the type is published on
 * @param dataClass the record the JSON value maps to
 */
public record EventType<T extends Record>(String name, String topic, Class<T> dataClass) {

    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(dataClass, "dataClass");
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*\\.v[0-9]+")) {
            throw new IllegalArgumentException("event type must be dotted lower case ending in .vN: " + name);
        }
    }

    /** Classpath location of this type's JSON Schema. */
    public String schemaResource() {
        return "schemas/" + name + ".json";
    }

    /** Classpath location of an example value of this type. */
    public String exampleResource() {
        return "examples/" + name + ".json";
    }
}

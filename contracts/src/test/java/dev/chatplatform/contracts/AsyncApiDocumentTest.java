package dev.chatplatform.contracts;

import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.event.Services;
import dev.chatplatform.contracts.event.TopicDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analysts' event catalog ({@code docs/events/asyncapi.yaml}) documents every topic and event type of
 * {@link EventCatalog}, points at the very schema and example files this module publishes, and every topic
 * name used in any module's code.
 */
class AsyncApiDocumentTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCUMENT = REPO.resolve("docs/events/asyncapi.yaml");
    private static final JsonNode ASYNCAPI = load();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final List<EventType<?>> types = EventCatalog.ALL;
    static final List<TopicDefinition> topics = EventCatalog.TOPICS;

    @Test
    void isAnAsyncApi3Document() {
        assertThat(ASYNCAPI.path("asyncapi").asString()).startsWith("3.");
        assertThat(ASYNCAPI.path("channels").isObject()).isTrue();
    }

    @ParameterizedTest
    @FieldSource("topics")
    void everyTopicIsAChannelWithItsKeyCompactionRetentionProducerAndConsumers(TopicDefinition topic) {
        JsonNode channel = ASYNCAPI.path("channels").path(topic.name());
        assertThat(channel.isObject()).as("channel %s in %s", topic.name(), DOCUMENT).isTrue();
        assertThat(channel.path("address").asString()).isEqualTo(topic.name());
        assertThat(channel.path("x-key").asString()).isEqualTo(topic.key());
        assertThat(channel.path("x-compacted").asBoolean()).as("x-compacted of %s", topic.name()).isEqualTo(topic.compacted());
        assertThat(channel.path("bindings").path("kafka").path("topicConfiguration").path("cleanup.policy").toString())
                .contains(topic.compacted() ? "compact" : "delete");
        assertThat(channel.path("x-retention").asString()).isNotBlank();
        assertThat(channel.path("x-producer").asString()).isNotBlank();
        assertThat(channel.path("x-consumers").isArray()).isTrue();
        if (!topic.isDeadLetterTopic()) {
            assertThat(channel.path("x-producer").asString()).as("x-producer of %s", topic.name()).isEqualTo(topic.producer());
            Set<String> alsoWrittenBy = new TreeSet<>();
            channel.path("x-also-produced-by").forEach(p -> alsoWrittenBy.add(p.asString()));
            assertThat(alsoWrittenBy).as("x-also-produced-by of %s", topic.name())
                    .isEqualTo(new TreeSet<>(topic.alsoWrittenBy()));
            Set<String> documented = new TreeSet<>();
            channel.path("x-consumers").forEach(c -> documented.add(c.asString().split(" ")[0]));
            documented.retainAll(Services.ALL);
            assertThat(documented).as("services among the x-consumers of %s", topic.name())
                    .isEqualTo(new TreeSet<>(topic.consumers()));
        }
    }

    /** Every topic of events has a dead-letter topic, declared in the catalog and documented. */
    @ParameterizedTest
    @FieldSource("topics")
    void everyTopicOfEventsHasItsDeadLetterTopic(TopicDefinition topic) {
        if (topic.isDeadLetterTopic()) {
            return;
        }
        assertThat(EventCatalog.topic(topic.deadLetterTopic())).as("dead letters of %s", topic.name())
                .contains(TopicDefinition.deadLettersOf(topic));
        assertThat(ASYNCAPI.path("channels").path(topic.deadLetterTopic()).path("description").asString())
                .contains("x-dlt-reason");
    }

    @ParameterizedTest
    @FieldSource("types")
    void everyEventTypeIsAMessageOfItsTopicWithItsSchemaAndExample(EventType<?> type) throws IOException {
        JsonNode message = ASYNCAPI.path("components").path("messages").path(type.name());
        assertThat(message.isObject()).as("components.messages.%s in %s", type.name(), DOCUMENT).isTrue();
        assertThat(message.path("name").asString()).isEqualTo(type.name());
        assertThat(ASYNCAPI.path("channels").path(type.topic()).path("messages").path(type.name()).path("$ref").asString())
                .as("channel %s lists message %s", type.topic(), type.name())
                .isEqualTo("#/components/messages/" + type.name());

        Path schema = DOCUMENT.getParent().resolve(message.path("payload").path("$ref").asString()).normalize();
        assertThat(schema).as("payload $ref of %s", type.name())
                .isEqualTo(REPO.resolve("contracts/src/main/resources/" + type.schemaResource()));
        assertThat(schema).exists();
        Path example = DOCUMENT.getParent().resolve(message.path("x-example-file").asString()).normalize();
        assertThat(example).isEqualTo(REPO.resolve("contracts/src/main/resources/" + type.exampleResource()));
        assertThat(message.path("examples").path(0).path("payload"))
                .as("the inline example of %s is the published example file", type.name())
                .isEqualTo(JSON.readTree(example.toFile()));
    }

    @Test
    void everyDocumentedChannelAndMessageIsInTheCatalogOrMarkedPlanned() {
        Set<String> catalogTopics = new TreeSet<>(topics.stream().map(TopicDefinition::name).toList());
        ASYNCAPI.path("channels").properties().forEach(e -> {
            if (!"planned".equals(e.getValue().path("x-status").asString(null))) {
                assertThat(catalogTopics).as("documented channel %s", e.getKey()).contains(e.getKey());
            }
        });
        Set<String> catalogTypes = new TreeSet<>(types.stream().map(EventType::name).toList());
        assertThat(catalogTypes).containsAll(ASYNCAPI.path("components").path("messages").propertyNames());
    }

    /** A topic name ({@code name.vN}) written anywhere in a module's main code must be documented. */
    @Test
    void everyTopicNameUsedInCodeIsDocumented() throws IOException {
        Pattern topicLiteral = Pattern.compile("\"([a-z][a-z0-9-]*\\.v[0-9]+)\"");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(REPO)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/")).toList()) {
                Matcher m = topicLiteral.matcher(Files.readString(file));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).as("topic names in code").isNotEmpty();
        assertThat(ASYNCAPI.path("channels").propertyNames()).as("channels of %s", DOCUMENT).containsAll(used);
    }

    private static JsonNode load() {
        assertThat(DOCUMENT).as("the AsyncAPI document").exists();
        return YAMLMapper.builder().build().readTree(DOCUMENT.toFile());
    }
}

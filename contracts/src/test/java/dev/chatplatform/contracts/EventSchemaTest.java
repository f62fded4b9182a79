package dev.chatplatform.contracts;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.usage.UsageRecorded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every event record round-trips through JSON and agrees with its published JSON Schema. */
class EventSchemaTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static final List<EventType<?>> types = EventCatalog.ALL;

    /** One realistic instance of every type; a type added to the catalog without one here fails the build. */
    private static final Map<EventType<?>, Record> SAMPLES = Map.ofEntries(
            Map.entry(UsageRecorded.TYPE, new UsageRecorded("req-1", "acc-1", "k_1", "sim-1", "simulated", 12, 0, 30, 57,
                    false, UsageRecorded.Outcome.COMPLETED, true, 640, 120L, Instant.parse("2026-11-23T08:00:00.5Z"))),
            Map.entry(AccountChanged.TYPE, new AccountChanged("acc-1", "a@example.com", "A", "free", "active", 3,
                    Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(ApiKeyChanged.TYPE, new ApiKeyChanged("k_1", "acc-1", "a".repeat(64), "sk-cp-Ab3dEf", "ci",
                    List.of("chat"), "revoked", 2, Instant.parse("2026-11-22T08:00:00Z"), Instant.parse("2026-11-23T08:00:00Z"))));

    @ParameterizedTest
    @FieldSource("types")
    void recordRoundTripsThroughJsonAndMatchesItsSchema(EventType<?> type) {
        Record sample = SAMPLES.get(type);
        assertThat(sample).as("a sample instance for %s", type.name()).isNotNull();

        JsonNode json = JSON.valueToTree(sample);
        assertThat(errors(type, json)).as("schema errors of %s", type.name()).isEmpty();
        assertThat(JSON.treeToValue(json, type.dataClass())).isEqualTo(sample);
    }

    @ParameterizedTest
    @FieldSource("types")
    void publishedExampleMatchesItsSchemaAndReadsIntoTheRecord(EventType<?> type) {
        JsonNode example = read(type.exampleResource());
        assertThat(errors(type, example)).isEmpty();
        Record parsed = JSON.treeToValue(example, type.dataClass());
        assertThat(JSON.writeValueAsString(parsed)).isEqualTo(JSON.writeValueAsString(example));
    }

    @ParameterizedTest
    @FieldSource("types")
    void schemaRejectsAPayloadMissingARequiredField(EventType<?> type) {
        ObjectNode example = (ObjectNode) read(type.exampleResource());
        String firstRequired = read(type.schemaResource()).get("required").get(0).asString();
        example.remove(firstRequired);
        assertThat(errors(type, example)).isNotEmpty();
    }

    @Test
    void eventIdsAreDerivedFromTheirCause() {
        assertThat(EventIds.of(UsageRecorded.TYPE, "req-1")).isEqualTo(EventIds.of(UsageRecorded.TYPE, "req-1"));
        assertThat(EventIds.of(UsageRecorded.TYPE, "req-1")).isNotEqualTo(EventIds.of(UsageRecorded.TYPE, "req-2"));
        assertThat(EventIds.of(UsageRecorded.TYPE, "x")).isNotEqualTo(EventIds.of(AccountChanged.TYPE, "x"));
    }

    private static List<Error> errors(EventType<?> type, JsonNode json) {
        Schema schema = SCHEMAS.getSchema(stream(type.schemaResource()));
        return schema.validate(json);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = stream(resource)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = EventSchemaTest.class.getClassLoader().getResourceAsStream(resource);
        assertThat(in).as("classpath resource %s", resource).isNotNull();
        return in;
    }
}

package dev.chatplatform.contracts;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.billing.OidcSubjectChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.MessageRecorded;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.QuotaChanged;
import dev.chatplatform.contracts.usage.QuotaThresholdCrossed;
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

    private static final FlagChanged SAMPLE_FLAG = new FlagChanged("hybrid-routing", "new fallback chain",
            FlagChanged.Kind.MULTIVARIANT, true, false, List.of(new FlagChanged.Variant("fallback-v2", 1000)), "legacy",
            List.of("acc-test"), List.of(), List.of(new FlagChanged.Segment("tier", FlagChanged.Segment.Operator.IN,
            List.of("free"))), 10, null, 4, "admin-1", "10 %", Instant.parse("2026-11-23T08:00:00Z"));

    /** One realistic instance of every type; a type added to the catalog without one here fails the build. */
    private static final Map<EventType<?>, Record> SAMPLES = Map.ofEntries(
            Map.entry(QuotaChanged.TYPE, new QuotaChanged("acc-1", "free", "ok", 10, 20000, List.of("sim-1"),
                    List.of(new QuotaChanged.Limit("messages_per_day", 50, 3, 1, 46, Instant.parse("2026-11-23T00:00:00Z"),
                            Instant.parse("2026-11-24T00:00:00Z"))), 7, Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(QuotaThresholdCrossed.TYPE, new QuotaThresholdCrossed("acc-1", "free", "tokens_per_month", 90, 100000,
                    90210, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                    Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(UsageRecorded.TYPE, new UsageRecorded("req-1", "acc-1", "k_1", "sim-1", "simulated", 12, 0, 30, 57,
                    false, UsageRecorded.Outcome.COMPLETED, true, 640, 120L, Instant.parse("2026-11-23T08:00:00.5Z"))),
            Map.entry(AccountChanged.TYPE, new AccountChanged("acc-1", "a@example.com", "A", "free", "active", 3,
                    Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(ApiKeyChanged.TYPE, new ApiKeyChanged("k_1", "acc-1", "a".repeat(64), "sk-cp-Ab3dEf", "ci",
                    List.of("chat"), "revoked", 2, Instant.parse("2026-11-22T08:00:00Z"), Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(SubscriptionChanged.TYPE, new SubscriptionChanged("acc-1", "pro", "past_due", "stripe", "basic", false,
                    Instant.parse("2026-12-23T08:00:00Z"), Instant.parse("2026-11-26T08:00:00Z"), 4,
                    Instant.parse("2026-11-23T08:00:00Z"), 2000L, "usd")),
            Map.entry(OidcSubjectChanged.TYPE, new OidcSubjectChanged("auth0|abc", "acc-1", "active", 1,
                    Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(InvoiceChanged.TYPE, new InvoiceChanged("acc-1", "in_1", "paid", "usd", 2000, 2000, 1, null,
                    Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(FlagChanged.TYPE, SAMPLE_FLAG),
            Map.entry(RolloutDecided.TYPE, new RolloutDecided("hybrid-routing", RolloutDecided.Decision.ROLLED_BACK, 5, 1, 10,
                    "error rate breached", List.of(new RolloutDecided.Evidence("error_rate", "llm-calls.v1", "fallback-v2",
                    0.31, 0.01, 0.05, 120, 900, "BREACH")), Instant.parse("2026-11-23T08:05:00Z"))),
            Map.entry(AuditRecorded.TYPE, new AuditRecorded("0b9a4c1e-2f7d-4d7e-9a51-3c2e8f1d6a70", "billing-service",
                    "account.tier-changed", "account", "acc-1", "acc-admin", "key-7", "support ticket 4711",
                    Map.of("tier", "free"), Map.of("tier", "pro"), Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(LlmCallRecorded.TYPE, new LlmCallRecorded("req-1", "acc-1", 2, "openai", "gpt-4o-mini", "gpt-4o-mini",
                    LlmCallRecorded.Outcome.FALLBACK, "server_error", 230, null, 0, 0, 0, 0, true,
                    Map.of("hybrid-routing", "fallback-v2"), Instant.parse("2026-11-23T08:00:00Z"),
                    "cheapest of 2 models allowed for tier free", false)),
            Map.entry(ConversationChanged.TYPE, new ConversationChanged("conv_1", "acc-1",
                    ConversationChanged.Action.UPDATED, List.of("title"), "sim-1", Instant.parse("2026-11-23T08:00:00Z"))),
            Map.entry(MessageRecorded.TYPE, new MessageRecorded("conv_1", "msg_2", "acc-1", "assistant", "stopped", "sim-1",
                    "req-1", 120, 20, 7, "msg_1", Instant.parse("2026-11-23T08:00:01.25Z"))));

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
    void usageWithoutAKindReadsAsChatAndAnEmbeddingsUsageRoundTrips() {
        ObjectNode old = (ObjectNode) read(UsageRecorded.TYPE.exampleResource());
        old.remove("kind"); // as written before the field existed
        assertThat(errors(UsageRecorded.TYPE, old)).isEmpty();
        assertThat(JSON.treeToValue(old, UsageRecorded.class).kind()).isEqualTo(UsageRecorded.Kind.CHAT);

        UsageRecorded embeddings = new UsageRecorded("req-2", "acc-1", "k_1", "sim-embed-1", "simulated", 12, 0, 0, 1,
                false, UsageRecorded.Outcome.COMPLETED, false, 8, null, Instant.parse("2026-11-23T08:00:00Z"),
                UsageRecorded.Kind.EMBEDDINGS);
        JsonNode json = JSON.valueToTree(embeddings);
        assertThat(json.path("kind").asString()).isEqualTo("EMBEDDINGS");
        assertThat(errors(UsageRecorded.TYPE, json)).isEmpty();
        assertThat(JSON.treeToValue(json, UsageRecorded.class)).isEqualTo(embeddings);
    }

    @Test
    void usageWithoutALeaseIdReadsAsDrawnFromNoLeaseAndOneNamingALeaseRoundTrips() {
        ObjectNode old = (ObjectNode) read(UsageRecorded.TYPE.exampleResource());
        old.remove("leaseId"); // as an older chat-service writes it
        assertThat(errors(UsageRecorded.TYPE, old)).isEmpty();
        assertThat(JSON.treeToValue(old, UsageRecorded.class).leaseId()).isNull();

        UsageRecorded leased = JSON.treeToValue(old, UsageRecorded.class).drawnFrom("lease_1");
        JsonNode json = JSON.valueToTree(leased);
        assertThat(json.path("leaseId").asString()).isEqualTo("lease_1");
        assertThat(errors(UsageRecorded.TYPE, json)).isEmpty();
        assertThat(JSON.treeToValue(json, UsageRecorded.class)).isEqualTo(leased);
        ((ObjectNode) json).put("leaseId", "");
        assertThat(errors(UsageRecorded.TYPE, json)).as("an empty lease id is no lease id").isNotEmpty();
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

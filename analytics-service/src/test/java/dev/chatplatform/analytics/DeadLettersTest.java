package dev.chatplatform.analytics;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.chatplatform.analytics.AnalyticsTestEvents.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The records a consumer dead-letters are kept in the service's {@code dead_letters} (service-kit), listed by
 * {@code GET /api/v1/admin/dead-letters/analytics-service} with their reason, and applied again by an admin's retry
 * through the same consumer once the cause is gone.
 */
@PlatformIntegrationTest
class DeadLettersTest {

    static final String PATH = "/api/v1/admin/dead-letters/analytics-service";
    static final String CONSUMER = "analytics-service.rollups";
    static final String ADMIN = TestIdentities.token("admin-1", "admin");

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    AnalyticsApi api() {
        return new AnalyticsApi(port, json);
    }

    @Test
    void aRecordTheConsumerRefusesIsListedWithItsReasonAndARetryRefusedAgainKeepsIt() {
        String account = "acc-" + UUID.randomUUID();
        UsageRecorded negative = usage(account, "sim-1", "simulated", 10, 20, -5, Outcome.COMPLETED, 100, null,
                Instant.parse("2030-06-01T10:00:00Z"));
        AnalyticsTestEvents.send(negative);
        String eventId = EventIds.of(UsageRecorded.TYPE, negative.requestId());

        JsonNode dead = await().atMost(Duration.ofSeconds(30)).until(() -> find(eventId), n -> n != null);
        assertThat(dead.get("consumer").asString()).isEqualTo(CONSUMER);
        assertThat(dead.get("topic").asString()).isEqualTo(Topics.USAGE);
        assertThat(dead.get("state").asString()).isEqualTo("dead");
        assertThat(dead.get("reason").asString()).contains("costMicroUsd");
        assertThat(dead.get("eventType").asString()).isEqualTo(UsageRecorded.TYPE.name());
        assertThat(dead.get("value").asString()).isEqualTo(json.writeValueAsString(negative));
        assertThat(api().get(PATH).get("dead").get(CONSUMER).asLong()).isPositive();
        long id = dead.get("id").asLong();
        assertThat(api().get(PATH + "/" + id).get("eventId").asString()).isEqualTo(eventId);

        var refused = retry(id, ADMIN, "{\"reason\":\"try again\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("dead_letter_refused").contains("costMicroUsd");
        JsonNode after = api().get(PATH + "/" + id);
        assertThat(after.get("state").asString()).isEqualTo("dead");
        assertThat(after.get("retries").asInt()).isEqualTo(1);
        assertThat(after.get("lastRetryAt").isNull()).isFalse();
    }

    @Test
    void aRetryAppliesADeadLetterOnceItsCauseIsGoneAndTheAuditLogSaysWhoAndWhy() {
        // a valid event an earlier version of the consumer refused: kept as the kit keeps any dead letter
        String account = "acc-" + UUID.randomUUID();
        UsageRecorded event = usage(account, "sim-1", "simulated", 10, 20, 30, Outcome.COMPLETED, 100, null,
                Instant.parse("2030-07-01T10:00:00Z"));
        String eventId = EventIds.of(UsageRecorded.TYPE, event.requestId());
        long id = deadLetter(event, eventId);

        var applied = retry(id, ADMIN, "{\"reason\":\"fixed in 1.4.2\"}");
        assertThat(applied.status()).isEqualTo(200);
        assertThat(json.readTree(applied.body()).get("state").asString()).isEqualTo("applied");
        JsonNode usage = api().get("/api/v1/analytics/usage?from=2030-07-01&to=2030-07-01&accountId=" + account);
        assertThat(usage.get("rows").get(0).get("requests").asLong()).isEqualTo(1);
        assertThat(usage.get("rows").get(0).get("costMicroUsd").asLong()).isEqualTo(30);

        assertThat(retry(id, ADMIN, null).body()).contains("dead_letter_applied");
        JsonNode audit = await().atMost(Duration.ofSeconds(30)).until(
                () -> api().get("/api/v1/admin/audit?action=dead-letter.retried&targetId=" + CONSUMER + "/" + id),
                page -> page.get("data").size() == 1);
        JsonNode entry = audit.get("data").get(0);
        assertThat(entry.get("service").asString()).isEqualTo("analytics-service");
        assertThat(entry.get("actor").asString()).isEqualTo("admin-1");
        assertThat(entry.get("reason").asString()).isEqualTo("fixed in 1.4.2");
        assertThat(entry.get("before").get("eventId").asString()).isEqualTo(eventId);
        assertThat(entry.get("after").get("state").asString()).isEqualTo("applied");
    }

    @Test
    void readsNeedAnalystRetriesNeedAdminAndBadParametersAre400s() {
        assertThat(api().status(PATH, TestIdentities.token("acc-1", "chat", "account"))).isEqualTo(403);
        assertThat(api().status(PATH, null)).isEqualTo(401);
        assertThat(retry(1, AnalyticsApi.ANALYST, null).status()).isEqualTo(403);
        assertThat(retry(Long.MAX_VALUE, ADMIN, null).body()).contains("dead_letter_not_found");
        assertThat(api().raw(PATH + "?state=lost", AnalyticsApi.ANALYST)).contains("\"param\":\"state\"");
        assertThat(api().raw(PATH + "?limit=0", AnalyticsApi.ANALYST)).contains("\"param\":\"limit\"");
        assertThat(api().status(PATH + "/12345678901", AnalyticsApi.ANALYST)).isEqualTo(404);
    }

    private JsonNode find(String eventId) {
        for (JsonNode row : api().get(PATH + "?state=dead&consumer=" + CONSUMER + "&limit=100").get("data")) {
            if (eventId.equals(row.get("eventId").asString())) {
                return row;
            }
        }
        return null;
    }

    /** A row as the kit writes one when a consumer dead-letters {@code event}. */
    private long deadLetter(UsageRecorded event, String eventId) {
        List<Map<String, String>> headers = List.of(
                header(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE),
                header(CloudEventHeaders.ID, eventId),
                header(CloudEventHeaders.TYPE, UsageRecorded.TYPE.name()),
                header(CloudEventHeaders.SOURCE, "chat-service"),
                header(CloudEventHeaders.TIME, Instant.now().toString()),
                header(CloudEventHeaders.SUBJECT, event.accountId()),
                header(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON));
        return jdbc.sql("""
                        insert into dead_letters (consumer, topic, record_partition, record_offset, record_key,
                            record_value, headers, event_id, event_type, reason, dead_lettered_at)
                        values (:consumer, :topic, 0, :offset, :key, :value, cast(:headers as jsonb), :eventId,
                            :type, 'refused by version 1.4.1', now())
                        returning id""")
                .param("consumer", CONSUMER)
                .param("topic", Topics.USAGE)
                .param("offset", -Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) - 1)
                .param("key", event.accountId())
                .param("value", json.writeValueAsString(event))
                .param("headers", json.writeValueAsString(headers))
                .param("eventId", eventId)
                .param("type", UsageRecorded.TYPE.name())
                .query(Long.class).single();
    }

    private static Map<String, String> header(String name, String value) {
        return Map.of("name", name, "value", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    record Answer(int status, String body) {
    }

    private Answer retry(long id, String token, String body) {
        var request = api().client().post().uri(PATH + "/" + id + "/retry")
                .header(IdentityTokens.HEADER, token)
                .header("Content-Type", "application/json");
        if (body != null) {
            request.body(body);
        }
        return request.exchange((req, res) -> new Answer(res.getStatusCode().value(), res.bodyTo(String.class)));
    }
}

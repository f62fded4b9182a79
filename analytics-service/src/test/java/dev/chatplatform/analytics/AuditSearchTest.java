package dev.chatplatform.analytics;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every service's admin actions from {@code audit.v1} are stored once and searched by {@code GET /api/v1/admin/audit}. */
@PlatformIntegrationTest
class AuditSearchTest {

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
    void entriesOfEveryServiceAreSearchableByTextServiceActorActionTargetAndDayNewestFirst() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String account = "acc-" + run;
        AuditRecorded tier = entry("billing-service", "account.tier-changed", "account", account, "op-" + run,
                "ticket-" + run, Map.of("tier", "free"), Map.of("tier", "pro"), Instant.parse("2026-11-20T10:00:00Z"));
        AuditRecorded price = entry("provider-service", "model.price-scheduled", "model", "sim-" + run, "op-" + run,
                null, null, Map.of("inputPerMillion", 150), Instant.parse("2026-11-21T10:00:00Z"));
        AuditRecorded limits = entry("usage-service", "tier.updated", "tier", "tier-" + run, "other-" + run,
                "promotion", Map.of("messagesPerDay", 50), Map.of("messagesPerDay", 80), Instant.parse("2026-11-22T10:00:00Z"));
        List.of(tier, price, limits).forEach(AnalyticsTestEvents::send);

        await().atMost(Duration.ofSeconds(30)).until(() -> ids("/api/v1/admin/audit?q=" + run).size() == 3);

        assertThat(ids("/api/v1/admin/audit?q=" + run)).as("newest first")
                .containsExactly(limits.entryId(), price.entryId(), tier.entryId());
        assertThat(ids("/api/v1/admin/audit?q=TICKET-" + run)).as("case-insensitive, in the reason")
                .containsExactly(tier.entryId());
        assertThat(ids("/api/v1/admin/audit?q=" + run + "&service=provider-service")).containsExactly(price.entryId());
        assertThat(ids("/api/v1/admin/audit?actor=op-" + run)).containsExactly(price.entryId(), tier.entryId());
        assertThat(ids("/api/v1/admin/audit?q=" + run + "&action=tier.updated")).containsExactly(limits.entryId());
        assertThat(ids("/api/v1/admin/audit?targetType=account&targetId=" + account)).containsExactly(tier.entryId());
        assertThat(ids("/api/v1/admin/audit?q=" + run + "&from=2026-11-21&to=2026-11-21")).containsExactly(price.entryId());

        JsonNode first = api().get("/api/v1/admin/audit?q=" + run + "&limit=2");
        assertThat(first.path("hasMore").asBoolean()).isTrue();
        JsonNode second = api().get("/api/v1/admin/audit?q=" + run + "&limit=2&after=" + price.entryId());
        assertThat(second.path("hasMore").asBoolean()).isFalse();
        assertThat(second.path("data").get(0).path("entryId").asString()).isEqualTo(tier.entryId());

        JsonNode shown = second.path("data").get(0);
        assertThat(shown.path("service").asString()).isEqualTo("billing-service");
        assertThat(shown.path("actor").asString()).isEqualTo("op-" + run);
        assertThat(shown.path("actorKeyId").asString()).isEqualTo("k_op");
        assertThat(shown.path("reason").asString()).isEqualTo("ticket-" + run);
        assertThat(shown.path("before").path("tier").asString()).isEqualTo("free");
        assertThat(shown.path("after").path("tier").asString()).isEqualTo("pro");
        assertThat(shown.path("at").asString()).isEqualTo("2026-11-20T10:00:00Z");
    }

    @Test
    void anEntryDeliveredTwiceIsStoredOnce() {
        String run = UUID.randomUUID().toString();
        AuditRecorded entry = entry("billing-service", "account.suspended", "account", "acc-" + run, "op", "twice",
                Map.of("status", "active"), Map.of("status", "suspended"), Instant.now());
        AuditRecorded marker = entry("billing-service", "account.reactivated", "account", "acc-" + run, "op", "after",
                Map.of("status", "suspended"), Map.of("status", "active"), Instant.now());

        AnalyticsTestEvents.send(entry);
        AnalyticsTestEvents.send(entry);
        AnalyticsTestEvents.send(marker); // same key, so same partition: stored after both copies were applied

        await().atMost(Duration.ofSeconds(30)).until(() -> stored(marker.entryId()) == 1);
        assertThat(stored(entry.entryId())).isEqualTo(1);
        assertThat(ids("/api/v1/admin/audit?targetId=acc-" + run)).containsExactly(marker.entryId(), entry.entryId());
    }

    @Test
    void filtersTheSearchCannotApplyAreRefusedNamingThem() {
        assertRefused("limit=0", "limit");
        assertRefused("limit=101", "limit");
        assertRefused("from=2026-11-22&to=2026-11-21", "from");
        assertRefused("from=yesterday", "from");
        assertRefused("to=2026-13-01", "to");
        assertRefused("service=mail-service", "service");
        assertRefused("action=Tier%20Changed", "action");
        assertRefused("q=" + "x".repeat(201), "q");
        assertRefused("after=" + UUID.randomUUID(), "after");
    }

    @Test
    void analystsAndAdminsReadTheAuditLogAndNobodyElse() {
        assertThat(api().status("/api/v1/admin/audit", AnalyticsApi.ANALYST)).isEqualTo(200);
        assertThat(api().status("/api/v1/admin/audit", TestIdentities.token("admin-1", "admin"))).isEqualTo(200);
        assertThat(api().status("/api/v1/admin/audit", TestIdentities.token("acc-1", "chat", "account"))).isEqualTo(403);
        assertThat(api().status("/api/v1/admin/audit", null)).isEqualTo(401);
    }

    private void assertRefused(String query, String param) {
        String body = api().raw("/api/v1/admin/audit?" + query, AnalyticsApi.ANALYST);
        assertThat(api().status("/api/v1/admin/audit?" + query, AnalyticsApi.ANALYST)).as(query).isEqualTo(400);
        assertThat(json.readTree(body).path("error").path("param").asString()).as(query).isEqualTo(param);
    }

    private int stored(String entryId) {
        return jdbc.sql("select count(*) from audit_entries where entry_id = :id").param("id", entryId)
                .query(Integer.class).single();
    }

    private List<String> ids(String uri) {
        return api().get(uri).path("data").valueStream().map(e -> e.path("entryId").asString()).toList();
    }

    private static AuditRecorded entry(String service, String action, String targetType, String targetId, String actor,
                                       String reason, Map<String, Object> before, Map<String, Object> after,
                                       Instant at) {
        return new AuditRecorded(UUID.randomUUID().toString(), service, action, targetType, targetId, actor, "k_op",
                reason, before, after, at);
    }
}

package dev.chatplatform.analytics;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
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
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static dev.chatplatform.analytics.AnalyticsTestEvents.send;
import static dev.chatplatform.analytics.AnalyticsTestEvents.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PlatformIntegrationTest
class AnalyticsReportTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void usageIsCountedOnceByDayAndMonthPerAccountAndModelAndALateEventLandsInItsOwnDay() {
        String account = "acc-" + UUID.randomUUID();
        Instant day1 = Instant.parse("2030-03-30T10:00:00Z");
        Instant day2 = Instant.parse("2030-04-02T23:59:59Z");
        UsageRecorded first = usage(account, "sim-1", "simulated", 100, 200, 350, Outcome.COMPLETED, 900, 100L, day1);
        send(first);
        send(first); // redelivered: same event id
        send(usage(account, "sim-1-mini", "simulated", 10, 20, 9, Outcome.COMPLETED, 300, null, day1));
        send(usage(account, "sim-1", "simulated", 5, 7, 12, Outcome.UPSTREAM_ERROR, 1200, 80L, day2));
        // published today about a request of day 1: counted on day 1
        send(usage(account, "sim-1", "simulated", 1, 2, 3, Outcome.CLIENT_DISCONNECTED, 50, 20L, day1));

        String filter = "?from=2030-03-01&to=2030-04-30&accountId=" + account;
        JsonNode byDay = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/analytics/usage" + filter + "&groupBy=model"), r -> total(r, "requests") == 4);
        assertThat(byDay.get("granularity").asString()).isEqualTo("day");
        assertThat(byDay.get("columns").toString()).contains("\"period\",\"model\",\"requests\"");
        JsonNode rows = byDay.get("rows");
        assertThat(rows.size()).isEqualTo(3);
        assertThat(row(rows, 0)).isEqualTo("2030-03-30 sim-1 2 101 202 353 1");
        assertThat(row(rows, 1)).isEqualTo("2030-03-30 sim-1-mini 1 10 20 9 0");
        assertThat(row(rows, 2)).isEqualTo("2030-04-02 sim-1 1 5 7 12 1");
        assertThat(rows.get(0).get("costUsd").asString()).isEqualTo("0.000353");
        assertThat(rows.get(0).get("errorRate").asDouble()).isEqualTo(0.5);

        JsonNode byMonth = get("/api/v1/analytics/usage" + filter + "&granularity=month&groupBy=account,provider");
        assertThat(byMonth.get("rows").size()).isEqualTo(2);
        assertThat(byMonth.get("rows").get(0).get("period").asString()).isEqualTo("2030-03");
        assertThat(byMonth.get("rows").get(0).get("accountId").asString()).isEqualTo(account);
        assertThat(byMonth.get("rows").get(0).get("provider").asString()).isEqualTo("simulated");
        assertThat(byMonth.get("rows").get(0).get("requests").asLong()).isEqualTo(3);
        assertThat(byMonth.get("rows").get(0).get("costMicroUsd").asLong()).isEqualTo(362);
        assertThat(byMonth.get("rows").get(1).get("period").asString()).isEqualTo("2030-04");

        JsonNode range = get("/api/v1/analytics/usage" + filter + "&granularity=range");
        assertThat(range.get("rows").size()).isEqualTo(1);
        assertThat(range.get("rows").get(0).get("period").asString()).isEqualTo("2030-03-01/2030-04-30");
        assertThat(range.get("rows").get(0).get("requests").asLong()).isEqualTo(4);
        assertThat(range.get("rows").get(0).get("costMicroUsd").asLong()).isEqualTo(374);
    }

    @Test
    void embeddingsAreCountedOnceAndTheUsageReportSplitsAndFiltersByKind() {
        String account = "acc-" + UUID.randomUUID();
        Instant day = Instant.parse("2030-06-10T10:00:00Z");
        UsageRecorded embeddings = new UsageRecorded("req-" + UUID.randomUUID(), account, "k_1", "sim-embed-1",
                "simulated", 40, 0, 0, 1, false, Outcome.COMPLETED, false, 12, null, day, UsageRecorded.Kind.EMBEDDINGS);
        send(embeddings);
        send(embeddings); // redelivered: same event id
        send(usage(account, "sim-1", "simulated", 10, 20, 35, Outcome.COMPLETED, 300, null, day));

        String filter = "?from=2030-06-01&to=2030-06-30&granularity=range&accountId=" + account;
        JsonNode byKind = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/analytics/usage" + filter + "&groupBy=kind"), r -> total(r, "requests") == 2);
        JsonNode rows = byKind.get("rows");
        assertThat(rows.size()).isEqualTo(2);
        assertThat(rows.get(0).get("kind").asString()).isEqualTo("chat");
        assertThat(rows.get(1).get("kind").asString()).isEqualTo("embeddings");
        assertThat(rows.get(1).get("requests").asLong()).isEqualTo(1);
        assertThat(rows.get(1).get("inputTokens").asLong()).isEqualTo(40);
        assertThat(rows.get(1).get("outputTokens").asLong()).isZero();
        assertThat(rows.get(1).get("costMicroUsd").asLong()).isEqualTo(1);

        JsonNode onlyEmbeddings = get("/api/v1/analytics/usage" + filter + "&kind=EMBEDDINGS");
        assertThat(onlyEmbeddings.get("rows").size()).isEqualTo(1);
        assertThat(onlyEmbeddings.get("rows").get(0).get("totalTokens").asLong()).isEqualTo(40);
        assertThat(status("/api/v1/analytics/latency" + filter + "&groupBy=kind",
                TestIdentities.token("analyst-1", "analyst"))).isEqualTo(400);
    }

    @Test
    void latencyAndTimeToFirstTokenPercentilesComeFromTheWholeRangeAndFilter() {
        String account = "acc-" + UUID.randomUUID();
        Instant day = Instant.parse("2030-05-10T12:00:00Z");
        for (int i = 1; i <= 100; i++) {
            send(usage(account, "sim-1", "simulated", 1, 1, 1, Outcome.COMPLETED, i * 10L, (long) i, day.plusSeconds(i)));
        }
        send(usage(account, "sim-1", "other", 1, 1, 1, Outcome.COMPLETED, 99_999, null, day));

        String uri = "/api/v1/analytics/latency?from=2030-05-01&to=2030-05-31&granularity=month&provider=simulated&accountId="
                + account;
        JsonNode latency = await().atMost(Duration.ofSeconds(20)).until(() -> get(uri),
                r -> r.get("rows").size() == 1 && r.get("rows").get(0).get("requests").asLong() == 100);
        JsonNode row = latency.get("rows").get(0);
        assertThat(row.get("latencyP50Ms").asLong()).isBetween(495L, 505L);
        assertThat(row.get("latencyP95Ms").asLong()).isBetween(940L, 960L);
        assertThat(row.get("latencyP99Ms").asLong()).isBetween(980L, 1000L);
        assertThat(row.get("ttftRequests").asLong()).isEqualTo(100);
        assertThat(row.get("ttftP50Ms").asLong()).isEqualTo(50);
        assertThat(row.get("ttftP95Ms").asLong()).isEqualTo(95);
        assertThat(row.get("ttftP99Ms").asLong()).isEqualTo(99);
    }

    @Test
    void activeAccountsAreCountedPerDayAndDistinctPerMonth() {
        String a = "acc-" + UUID.randomUUID();
        String b = "acc-" + UUID.randomUUID();
        send(usage(a, "sim-1", "simulated", 1, 1, 1, Outcome.COMPLETED, 10, null, Instant.parse("2031-01-05T01:00:00Z")));
        send(usage(a, "sim-1", "simulated", 1, 1, 1, Outcome.COMPLETED, 10, null, Instant.parse("2031-01-06T01:00:00Z")));
        send(usage(b, "sim-1", "simulated", 1, 1, 1, Outcome.COMPLETED, 10, null, Instant.parse("2031-01-06T02:00:00Z")));

        JsonNode daily = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/analytics/active-accounts?from=2031-01-01&to=2031-01-31"),
                r -> r.get("rows").size() == 2 && r.get("rows").get(1).get("activeAccounts").asLong() == 2);
        assertThat(daily.get("rows").get(0).get("activeAccounts").asLong()).isEqualTo(1);
        JsonNode monthly = get("/api/v1/analytics/active-accounts?from=2031-01-01&to=2031-01-31&granularity=month");
        assertThat(monthly.get("rows").toString()).isEqualTo("[{\"period\":\"2031-01\",\"activeAccounts\":2}]");
    }

    @Test
    void accountsPerTierFollowTheNewestVersionAndFreeToPaidChangesAreConversions() {
        String account = "acc-" + UUID.randomUUID();
        Instant t = Instant.parse("2031-02-01T10:00:00Z");
        send(new AccountChanged(account, account + "@example.com", "A", "free", "active", 1, t));
        send(new AccountChanged(account, account + "@example.com", "A", "pro", "active", 2, t.plusSeconds(60)));
        send(new AccountChanged(account, account + "@example.com", "A", "free", "active", 1, t)); // replayed old version

        JsonNode conversions = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/analytics/conversions?from=2031-02-01&to=2031-02-28"), r -> r.get("rows").size() == 1);
        assertThat(conversions.get("rows").toString())
                .isEqualTo("[{\"period\":\"2031-02-01\",\"fromTier\":\"free\",\"toTier\":\"pro\",\"conversions\":1}]");
        JsonNode tiers = get("/api/v1/analytics/tiers");
        assertThat(tiers.get("rows").toString()).contains("\"tier\":\"pro\",\"activeAccounts\":");
    }

    @Test
    void everyEventOfEveryCatalogTopicIsCountedByTypeEvenATypeThisBuildDoesNotKnow() {
        String key = "k_" + UUID.randomUUID();
        Instant t = Instant.parse("2031-03-03T03:00:00Z");
        send(ApiKeyChanged.TYPE, key, EventIds.of(ApiKeyChanged.TYPE, key), t, new ApiKeyChanged(key, "acc-x",
                "a".repeat(64), "sk-cp-Ab3dEf", "ci", List.of("chat"), "active", 1, t, null));
        AnalyticsTestEvents.sendRaw(Topics.USAGE, "usage.from-the-future.v1", "acc-x", UUID.randomUUID().toString(), t,
                "{\"whatever\":1}");

        JsonNode events = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/api/v1/analytics/events?from=2031-03-03&to=2031-03-03"), r -> r.get("rows").size() == 2);
        assertThat(events.get("rows").toString())
                .contains("{\"period\":\"2031-03-03\",\"topic\":\"api-keys.v1\",\"eventType\":\"api-key.changed.v1\",\"events\":1}")
                .contains("{\"period\":\"2031-03-03\",\"topic\":\"usage.v1\",\"eventType\":\"usage.from-the-future.v1\",\"events\":1}");
        assertThat(get("/api/v1/analytics/events?from=2031-03-03&to=2031-03-03&topic=api-keys.v1").get("rows").size())
                .isEqualTo(1);
    }

    @Test
    void csvExportHasAHeaderAndOneLinePerRow() {
        String account = "acc-" + UUID.randomUUID();
        send(usage(account, "=cmd", "simulated", 3, 4, 5, Outcome.COMPLETED, 10, null, Instant.parse("2031-04-04T00:00:00Z")));
        String uri = "/api/v1/analytics/usage?from=2031-04-01&to=2031-04-30&granularity=month&groupBy=model&format=csv&accountId="
                + account;
        await().atMost(Duration.ofSeconds(20)).until(() -> raw(uri, TestIdentities.token("analyst-1", "analyst")).contains("2031-04"));
        var response = client().get().uri(uri).header(IdentityTokens.HEADER, TestIdentities.token("analyst-1", "analyst"))
                .retrieve().toEntity(String.class);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("text/csv");
        assertThat(response.getHeaders().getFirst("Content-Disposition"))
                .isEqualTo("attachment; filename=\"analytics-usage-2031-04-01-2031-04-30.csv\"");
        assertThat(response.getBody()).isEqualTo("""
                period,model,requests,inputTokens,cachedInputTokens,outputTokens,totalTokens,costMicroUsd,costUsd,errors,errorRate\r
                2031-04,'=cmd,1,3,0,4,7,5,0.000005,0,0.0\r
                """);
    }

    @Test
    void badParametersAreNamedInA400() {
        String analyst = TestIdentities.token("acc-1", "analyst");
        assertThat(raw("/api/v1/analytics/usage?from=yesterday", analyst)).contains("\"param\":\"from\"").contains("invalid_date");
        assertThat(raw("/api/v1/analytics/usage?from=2030-02-01&to=2030-01-01", analyst)).contains("invalid_period");
        assertThat(raw("/api/v1/analytics/usage?granularity=week", analyst)).contains("\"param\":\"granularity\"");
        assertThat(raw("/api/v1/analytics/usage?groupBy=colour", analyst)).contains("\"param\":\"groupBy\"");
        assertThat(raw("/api/v1/analytics/usage?format=xml", analyst)).contains("\"param\":\"format\"");
        assertThat(raw("/api/v1/analytics/conversations?groupBy=provider", analyst)).contains("invalid_group_by")
                .contains("can be grouped by account, model only");
        assertThat(raw("/api/v1/analytics/mrr?groupBy=account", analyst)).contains("\"param\":\"groupBy\"");
        assertThat(raw("/api/v1/analytics/revenue?accountId=acc-1", analyst)).contains("invalid_filter")
                .contains("\"param\":\"accountId\"");
        assertThat(status("/api/v1/analytics/churn?model=sim-1", analyst)).isEqualTo(400);
        assertThat(status("/api/v1/analytics/usage?granularity=week", analyst)).isEqualTo(400);
        assertThat(status("/api/v1/analytics/nope", analyst)).isEqualTo(404);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode defaults = get("/api/v1/analytics/usage");
        assertThat(defaults.get("to").asString()).isEqualTo(today.toString());
        assertThat(defaults.get("from").asString()).isEqualTo(today.minusDays(29).toString());
    }

    private static long total(JsonNode report, String column) {
        long sum = 0;
        for (JsonNode row : report.get("rows")) {
            sum += row.get(column).asLong();
        }
        return sum;
    }

    private static String row(JsonNode rows, int i) {
        JsonNode r = rows.get(i);
        return String.join(" ", r.get("period").asString(), r.get("model").asString(), r.get("requests").asString(),
                r.get("inputTokens").asString(), r.get("outputTokens").asString(), r.get("costMicroUsd").asString(),
                r.get("errors").asString());
    }

    private JsonNode get(String uri) {
        return api().get(uri);
    }

    private String raw(String uri, String token) {
        return api().raw(uri, token);
    }

    private int status(String uri, String token) {
        return api().status(uri, token);
    }

    private RestClient client() {
        return api().client();
    }

    private AnalyticsApi api() {
        return new AnalyticsApi(port, json);
    }
}

package dev.chatplatform.analytics;

import dev.chatplatform.contracts.provider.LlmCallRecorded.Outcome;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.chatplatform.analytics.AnalyticsTestEvents.call;
import static dev.chatplatform.analytics.AnalyticsTestEvents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** llm-calls.v1 into error classes and flag-variant comparisons; rollout-decisions.v1 into a report. */
@PlatformIntegrationTest
class CallsAndVariantsReportTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void errorRateByClassCountsEveryFailedUpstreamAttemptAgainstAllAttemptsOfItsProviderAndModel() {
        String account = "acc-" + UUID.randomUUID();
        Instant day = Instant.parse("2032-06-10T10:00:00Z");
        Map<String, String> none = Map.of();
        // request 1: rate limited once, then served by the same deployment
        send(call(account, "r1", 1, "openai", "gpt-x", Outcome.RETRY, "rate_limited", 100, null, 0, none, day));
        send(call(account, "r1", 1, "openai", "gpt-x", Outcome.RETRY, "rate_limited", 100, null, 0, none, day)); // redelivered
        send(call(account, "r1", 2, "openai", "gpt-x", Outcome.SUCCESS, null, 300, 50L, 40, none, day));
        // request 2: a server error, then a fallback to another provider that served it
        send(call(account, "r2", 1, "openai", "gpt-x", Outcome.FALLBACK, "server_error", 200, null, 0, none, day));
        send(call(account, "r2", 2, "anthropic", "claude-x", Outcome.SUCCESS, null, 400, 60L, 50, none, day));
        // request 3: timed out for good; request 4: the client left
        send(call(account, "r3", 1, "openai", "gpt-x", Outcome.ERROR, "timeout", 30_000, null, 0, none, day));
        send(call(account, "r4", 1, "anthropic", "claude-x", Outcome.CLIENT_GONE, null, 100, 20L, 5, none, day));

        String range = "/api/v1/analytics/errors?from=2032-06-01&to=2032-06-30&granularity=month&accountId=" + account;
        JsonNode all = await().atMost(Duration.ofSeconds(20)).until(() -> api().get(range),
                r -> r.get("rows").size() == 3 && r.get("rows").get(0).get("attempts").asLong() == 6);
        assertThat(all.get("columns").toString())
                .isEqualTo("[\"period\",\"errorClass\",\"errors\",\"failedRequests\",\"attempts\",\"rate\"]");
        assertThat(all.get("rows").toString()).isEqualTo("["
                + "{\"period\":\"2032-06\",\"errorClass\":\"rate_limited\",\"errors\":1,\"failedRequests\":0,\"attempts\":6,\"rate\":0.1667},"
                + "{\"period\":\"2032-06\",\"errorClass\":\"server_error\",\"errors\":1,\"failedRequests\":0,\"attempts\":6,\"rate\":0.1667},"
                + "{\"period\":\"2032-06\",\"errorClass\":\"timeout\",\"errors\":1,\"failedRequests\":1,\"attempts\":6,\"rate\":0.1667}]");

        JsonNode byModel = api().get(range + "&groupBy=provider,model");
        assertThat(byModel.get("rows").toString())
                .as("anthropic's two attempts (a success and a client gone) are no errors: no rows")
                .isEqualTo("["
                + "{\"period\":\"2032-06\",\"provider\":\"openai\",\"model\":\"gpt-x\",\"errorClass\":\"rate_limited\",\"errors\":1,\"failedRequests\":0,\"attempts\":4,\"rate\":0.25},"
                + "{\"period\":\"2032-06\",\"provider\":\"openai\",\"model\":\"gpt-x\",\"errorClass\":\"server_error\",\"errors\":1,\"failedRequests\":0,\"attempts\":4,\"rate\":0.25},"
                + "{\"period\":\"2032-06\",\"provider\":\"openai\",\"model\":\"gpt-x\",\"errorClass\":\"timeout\",\"errors\":1,\"failedRequests\":1,\"attempts\":4,\"rate\":0.25}]");
    }

    @Test
    void variantsAreComparedWithTheGuardsObservationRulesOneObservationPerRequestItsLastCall() {
        String flag = "flag-" + UUID.randomUUID();
        String account = "acc-" + UUID.randomUUID();
        Instant day = Instant.parse("2032-06-10T10:00:00Z");
        Map<String, String> legacy = Map.of(flag, "legacy");
        Map<String, String> v2 = Map.of(flag, "v2");
        send(call(account, "l1", 1, "sim", "m", Outcome.SUCCESS, null, 100, 10L, 100, legacy, day));
        send(call(account, "l2", 1, "sim", "m", Outcome.SUCCESS, null, 200, 20L, 100, legacy, day));
        send(call(account, "l3", 1, "sim", "m", Outcome.ERROR, "timeout", 50, null, 0, legacy, day));
        send(call(account, "l4", 1, "sim", "m", Outcome.SUCCESS, null, 300, 30L, 100, legacy, day.plusSeconds(86_400)));
        // v2: a retry and a fallback before the calls that ended their requests, and a client that left: not observations
        send(call(account, "v1", 1, "sim", "m", Outcome.RETRY, "rate_limited", 999, null, 0, v2, day));
        send(call(account, "v1", 2, "sim", "m", Outcome.SUCCESS, null, 80, 8L, 120, v2, day));
        send(call(account, "v2", 1, "sim", "m", Outcome.FALLBACK, "server_error", 999, null, 0, v2, day));
        send(call(account, "v2", 2, "sim", "m", Outcome.SUCCESS, null, 90, 9L, 60,
                Map.of(flag, "v2", "other-" + flag, "x"), day));
        send(call(account, "v3", 1, "sim", "m", Outcome.CLIENT_GONE, null, 999, 5L, 7, v2, day));
        send(call(account, "n1", 1, "sim", "m", Outcome.ERROR, "timeout", 999, null, 0, Map.of(), day)); // untagged

        String uri = "/api/v1/analytics/variants?from=2032-06-01&to=2032-06-30&granularity=range&flag=" + flag;
        JsonNode report = await().atMost(Duration.ofSeconds(20)).until(() -> api().get(uri),
                r -> r.get("rows").size() == 2 && r.get("rows").get(0).get("observations").asLong() == 4
                        && r.get("rows").get(1).get("observations").asLong() == 2);
        JsonNode control = report.get("rows").get(0);
        assertThat(control.get("period").asString()).isEqualTo("2032-06-01/2032-06-30");
        assertThat(control.get("flag").asString()).isEqualTo(flag);
        assertThat(control.get("variant").asString()).isEqualTo("legacy");
        assertThat(control.get("errors").asLong()).isEqualTo(1);
        assertThat(control.get("errorRate").asDouble()).isEqualTo(0.25);
        assertThat(control.get("latencyP50Ms").asLong()).isEqualTo(100);
        assertThat(control.get("latencyP99Ms").asLong()).isBetween(297L, 303L);
        assertThat(control.get("ttftP50Ms").asLong()).isEqualTo(20);
        assertThat(control.get("costMicroUsd").asLong()).isEqualTo(300);
        assertThat(control.get("costUsd").asString()).isEqualTo("0.000300");
        assertThat(control.get("costPerRequestMicroUsd").decimalValue()).isEqualByComparingTo("75");
        assertThat(control.get("inputTokens").asLong()).isEqualTo(40);
        assertThat(control.get("outputTokens").asLong()).isEqualTo(80);

        JsonNode treatment = report.get("rows").get(1);
        assertThat(treatment.get("variant").asString()).isEqualTo("v2");
        assertThat(treatment.get("errors").asLong()).isZero();
        assertThat(treatment.get("latencyP50Ms").asLong()).isEqualTo(80);
        assertThat(treatment.get("latencyP99Ms").asLong()).isEqualTo(90);
        assertThat(treatment.get("costPerRequestMicroUsd").decimalValue()).isEqualByComparingTo("90");

        JsonNode daily = api().get(uri.replace("granularity=range", "granularity=day"));
        assertThat(daily.get("rows").findValuesAsString("period")).containsExactly("2032-06-10", "2032-06-10", "2032-06-11");
        JsonNode other = api().get(uri.replace("flag=" + flag, "flag=other-" + flag));
        assertThat(other.get("rows").toString()).contains("\"variant\":\"x\",\"observations\":1,\"errors\":0");
    }

    @Test
    void rolloutDecisionsAreListedWithTheRulesTheyBreached() {
        String flag = "flag-" + UUID.randomUUID();
        Instant at = Instant.parse("2032-06-12T08:05:00Z");
        send(new RolloutDecided(flag, RolloutDecided.Decision.ADVANCED, 3, 1, 25, "phase 1 held", List.of(
                new RolloutDecided.Evidence("error_rate", "llm-calls.v1", "v2", 0.01, 0.01, 0.05, 300, 900, "HELD")),
                at.minusSeconds(3600)));
        send(new RolloutDecided(flag, RolloutDecided.Decision.ROLLED_BACK, 4, 1, 25, "error_rate of v2 was 0.31", List.of(
                new RolloutDecided.Evidence("error_rate", "llm-calls.v1", "v2", 0.31, 0.01, 0.05, 120, 900, "BREACH"),
                new RolloutDecided.Evidence("p95_latency_ms", "llm-calls.v1", "v2", 900.0, 800.0, 1200.0, 120, 900, "HELD")),
                at));

        String uri = "/api/v1/analytics/rollout-decisions?from=2032-06-01&to=2032-06-30&flag=" + flag;
        JsonNode report = await().atMost(Duration.ofSeconds(20)).until(() -> api().get(uri), r -> r.get("rows").size() == 2);
        assertThat(report.get("rows").toString()).isEqualTo("["
                + "{\"period\":\"2032-06-12\",\"decidedAt\":\"2032-06-12T07:05:00.000Z\",\"flag\":\"" + flag + "\",\"decision\":\"ADVANCED\",\"flagVersion\":3,\"phase\":1,\"percentage\":25,\"reason\":\"phase 1 held\",\"breaches\":\"\"},"
                + "{\"period\":\"2032-06-12\",\"decidedAt\":\"2032-06-12T08:05:00.000Z\",\"flag\":\"" + flag + "\",\"decision\":\"ROLLED_BACK\",\"flagVersion\":4,\"phase\":1,\"percentage\":25,\"reason\":\"error_rate of v2 was 0.31\",\"breaches\":\"error_rate v2 (llm-calls.v1)\"}]");
    }

    private AnalyticsApi api() {
        return new AnalyticsApi(port, json);
    }
}

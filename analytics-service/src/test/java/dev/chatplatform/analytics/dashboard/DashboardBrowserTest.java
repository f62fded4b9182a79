package dev.chatplatform.analytics.dashboard;

import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.ConversationChanged.Action;
import dev.chatplatform.contracts.chat.Topics;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.rollout.RolloutDecided;
import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.chatplatform.analytics.AnalyticsTestEvents.call;
import static dev.chatplatform.analytics.AnalyticsTestEvents.message;
import static dev.chatplatform.analytics.AnalyticsTestEvents.send;
import static dev.chatplatform.analytics.AnalyticsTestEvents.subscription;
import static dev.chatplatform.analytics.AnalyticsTestEvents.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Loads the dashboard in headless Chromium ({@code CHROMIUM_BIN}, default /usr/bin/chromium) against this service
 * fed with real events through Kafka, and reads the charts back from the DOM after the page's script ran: each
 * ECharts chart's drawing and its table of values.
 */
@PlatformIntegrationTest
class DashboardBrowserTest {

    @LocalServerPort
    int port;

    @Test
    void chartsRenderTheAggregatesOfRealEvents() throws Exception {
        Instant now = Instant.now();
        Instant twoDaysAgo = now.minus(2, ChronoUnit.DAYS);
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
        Instant earlierToday = midnight.plus(Duration.between(midnight, now).dividedBy(2));
        String account = "acc-" + UUID.randomUUID();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String month = today.substring(0, 7);
        // usage.v1
        send(usage(account, "browser-model", "browser-provider", 100, 200, 250_000, Outcome.COMPLETED, 80, 12L, now));
        send(usage(account, "browser-model", "browser-provider", 100, 200, 250_000, Outcome.UPSTREAM_ERROR, 40, 6L, now));
        send(usage(account, "browser-mini", "browser-provider", 10, 20, 1_500_000, Outcome.COMPLETED, 30, 3L, twoDaysAgo));
        // llm-calls.v1: one request rate limited then served, one timed out; tagged with a flag's variants
        String flag = "browser-flag";
        send(call(account, "b1", 1, "browser-provider", "browser-model", LlmCallRecorded.Outcome.RETRY, "rate_limited", 10, null, 0,
                Map.of(flag, "control"), now));
        send(call(account, "b1", 2, "browser-provider", "browser-model", LlmCallRecorded.Outcome.SUCCESS, null, 40, 5L, 100,
                Map.of(flag, "control"), now));
        send(call(account, "b2", 1, "browser-provider", "browser-model", LlmCallRecorded.Outcome.ERROR, "timeout", 60, null, 50,
                Map.of(flag, "treatment"), now));
        send(call(account, "b3", 1, "browser-provider", "browser-model", LlmCallRecorded.Outcome.SUCCESS, null, 20, 4L, 0,
                Map.of(flag, "treatment"), now));
        // rollout-decisions.v1
        send(new RolloutDecided(flag, RolloutDecided.Decision.ROLLED_BACK, 7, 0, 10, "error_rate of treatment was 0.5",
                List.of(new RolloutDecided.Evidence("error_rate", "llm-calls.v1", "treatment", 0.5, 0.0, 0.05, 2, 1,
                        "BREACH")), now));
        // subscriptions.v1 in a currency of its own: one paying long before the range and canceled today, one new today
        String leaving = "acc-" + UUID.randomUUID(), joining = "acc-" + UUID.randomUUID();
        send(subscription(leaving, 1, "pro", "active", 2500L, "chf", now.minus(40, ChronoUnit.DAYS)));
        send(subscription(leaving, 2, "free", "canceled", null, null, earlierToday));
        send(subscription(joining, 1, "basic", "active", 1000L, "chf", earlierToday));
        // billing.v1
        send(new InvoiceChanged(joining, "in_" + joining, "paid", "chf", 4200, 4200, 1, null, earlierToday),
                "evt_" + joining);
        // conversations.v1
        send(new ConversationChanged("conv_a" + account, account, Action.CREATED, List.of(), "browser-model", now));
        send(new ConversationChanged("conv_b" + account, account, Action.CREATED, List.of(), "browser-model", now));
        send(new ConversationChanged("conv_b" + account, account, Action.DELETED, List.of(), "browser-model", now));
        send(message(account, "conv_a" + account, "user", "completed", "browser-model", 5, 0, now));
        send(message(account, "conv_a" + account, "assistant", "completed", "browser-model", 20, 30, now));
        send(message(account, "conv_a" + account, "assistant", "stopped", "browser-model", 20, 3, now));

        await().atMost(Duration.ofSeconds(30)).until(() -> analyst("/api/v1/analytics/events?topic=" + Topics.CONVERSATIONS),
                body -> body.contains("\"eventType\":\"message.recorded.v1\",\"events\":3"));
        await().atMost(Duration.ofSeconds(30)).until(() -> analyst("/api/v1/analytics/usage?accountId=" + account),
                body -> body.contains("\"requests\":2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> analyst("/api/v1/analytics/mrr"),
                body -> body.contains("{\"period\":\"" + today + "\",\"currency\":\"chf\",\"mrrMinor\":1000,"));
        await().atMost(Duration.ofSeconds(30)).until(() -> analyst("/api/v1/analytics/errors"),
                body -> body.contains("\"attempts\":4"));
        await().atMost(Duration.ofSeconds(30)).until(() -> analyst("/api/v1/analytics/rollout-decisions"),
                body -> body.contains(flag));
        await().atMost(Duration.ofSeconds(30)).until(() -> analyst("/api/v1/analytics/variants?flag=" + flag),
                body -> body.contains("\"variant\":\"treatment\",\"observations\":2"));
        await().atMost(Duration.ofSeconds(30)).until(() -> analyst("/api/v1/analytics/revenue"),
                body -> body.contains("\"currency\":\"chf\",\"invoicedMinor\":4200"));

        String dom = dumpDom(base() + "/api/v1/analytics/dashboard/#identity="
                + TestIdentities.token("analyst-1", "analyst"));

        assertThat(dom).contains("data-rendered=\"true\"");
        // requests per day: a point for today with both of today's requests
        assertThat(marks(dom, "panel-requests")).contains(today + "=2");
        // cost per day in USD
        assertThat(marks(dom, "panel-cost")).contains(today + "=0.5");
        // cost by provider and model: one bar each
        assertThat(marks(dom, "panel-cost-by-model"))
                .contains("browser-provider / browser-model=0.5", "browser-provider / browser-mini=1.5");
        // latency percentiles: today's p50/p99 come from the 40 and 80 ms requests (exact below 100 ms)
        assertThat(seriesMarks(dom, "panel-latency", "p50")).contains(today + "=40");
        assertThat(seriesMarks(dom, "panel-latency", "p99")).contains(today + "=80");
        assertThat(seriesMarks(dom, "panel-ttft", "p50")).contains(today + "=6");
        assertThat(seriesMarks(dom, "panel-ttft", "p99")).contains(today + "=12");
        // upstream error rate by class: one rate-limited and one timed-out attempt of today's four
        assertThat(seriesMarks(dom, "panel-errors", "rate_limited")).contains(today + "=0.25");
        assertThat(seriesMarks(dom, "panel-errors", "timeout")).contains(today + "=0.25");
        assertThat(marks(dom, "panel-errors-by-model"))
                .contains("browser-provider / browser-model: timeout=0.25", "browser-provider / browser-model: rate_limited=0.25");
        assertThat(marks(dom, "panel-active")).contains(today + "=1");
        String earlierMonth = twoDaysAgo.toString().substring(0, 7);
        assertThat(marks(dom, "panel-revenue")).containsAll(month.equals(earlierMonth)
                ? List.of(month + "=2") : List.of(earlierMonth + "=1.5", month + "=0.5"));
        assertThat(marks(dom, "panel-invoiced")).contains(month + " chf=42");
        // MRR in chf: 25 until the cancellation today, then the new 10
        assertThat(seriesMarks(dom, "panel-mrr", "chf")).contains(yesterday + "=25", today + "=10");
        assertThat(marks(dom, "panel-churn")).contains(month + " chf=1");
        // variant comparison, as the guard counts: control one success (its retry is no observation), treatment 1 of 2 failed
        assertThat(marks(dom, "panel-variants-errors")).contains(flag + ": control=0", flag + ": treatment=0.5");
        assertThat(marks(dom, "panel-variants-latency")).contains(flag + ": control=40", flag + ": treatment=60");
        assertThat(marks(dom, "panel-variants-cost")).contains(flag + ": control=100", flag + ": treatment=25");
        assertThat(seriesMarks(dom, "panel-rollout", "ROLLED_BACK")).contains(today + "=1");
        assertThat(section(dom, "panel-rollout")).contains("ROLLED_BACK (v7, 10 %): error_rate of treatment was 0.5");
        assertThat(seriesMarks(dom, "panel-conversations", "created")).contains(today + "=2");
        assertThat(seriesMarks(dom, "panel-conversations", "deleted")).contains(today + "=1");
        assertThat(seriesMarks(dom, "panel-messages", "user messages")).contains(today + "=1");
        assertThat(seriesMarks(dom, "panel-messages", "answers")).contains(today + "=2");
        assertThat(seriesMarks(dom, "panel-messages", "answers stopped")).contains(today + "=1");
    }

    @Test
    void thePageWithoutACredentialAsksForAKeyAndHoldsNoData() throws Exception {
        var page = RestClient.create(base()).get().uri("/api/v1/analytics/dashboard/").retrieve().toEntity(String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getHeaders().getFirst("Content-Security-Policy")).contains("script-src 'self'");
        String dom = dumpDom(base() + "/api/v1/analytics/dashboard");
        assertThat(dom).contains("<form id=\"login\">").doesNotContain("data-chart=");
    }

    @Test
    void aKeyWithoutTheAnalystScopeSeesAnExplanationNotCharts() throws Exception {
        String dom = dumpDom(base() + "/api/v1/analytics/dashboard/#identity=" + TestIdentities.token("acc-1", "chat"));
        assertThat(dom).contains("data-rendered=\"error\"").contains("analyst or admin scope").doesNotContain("data-chart=");
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /**
     * "label=value" of every value the panel's chart holds, read from its table of values (built from the ECharts
     * chart's own option), after checking ECharts drew the chart there (its instance and SVG marks in the panel).
     */
    private static List<String> marks(String dom, String panel) {
        return values(dom, panel, null);
    }

    /** "label=value" of one series of the panel's chart. */
    private static List<String> seriesMarks(String dom, String panel, String series) {
        List<String> out = values(dom, panel, series);
        assertThat(out).as("series %s in panel %s", series, panel).isNotEmpty();
        return out;
    }

    private static List<String> values(String dom, String panel, String series) {
        String chart = section(dom, panel);
        assertThat(chart).as("an ECharts chart drawn in panel %s", panel)
                .contains("_echarts_instance_").containsPattern("<svg[^>]*>.*<path ");
        assertThat(chart).as("the chart is an image named by ECharts' aria description, its values in a table")
                .containsPattern("class=\"plot\" role=\"img\" aria-label=\"[^\"]+, chart \\(the table that follows")
                .contains("<div class=\"values\"><table><caption>");
        List<String> out = new ArrayList<>();
        Matcher row = Pattern.compile("<tr data-label=\"([^\"]*)\">(.*?)</tr>").matcher(chart);
        while (row.find()) {
            Matcher cell = Pattern.compile("<td data-series=\"([^\"]*)\" data-value=\"([^\"]+)\">").matcher(row.group(2));
            while (cell.find()) {
                if (series == null || series.equals(cell.group(1))) {
                    out.add(row.group(1) + "=" + cell.group(2));
                }
            }
        }
        return out;
    }

    private String analyst(String uri) {
        return RestClient.create(base()).get().uri(uri)
                .header("X-Platform-Identity", TestIdentities.token("analyst-1", "analyst"))
                .retrieve().body(String.class);
    }

    private static String section(String dom, String panel) {
        int start = dom.indexOf("<section class=\"panel\" id=\"" + panel + "\"");
        assertThat(start).as("panel %s in the page", panel).isNotNegative();
        return dom.substring(start, dom.indexOf("</section>", start));
    }

    static String dumpDom(String url) throws IOException, InterruptedException {
        String chromium = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("headless Chromium (apt-get install -y chromium); set CHROMIUM_BIN to move it")
                .isExecutable();
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=15000", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}

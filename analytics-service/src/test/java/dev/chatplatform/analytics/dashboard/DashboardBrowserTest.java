package dev.chatplatform.analytics.dashboard;

import dev.chatplatform.contracts.usage.UsageRecorded;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.chatplatform.analytics.AnalyticsTestEvents.send;
import static dev.chatplatform.analytics.AnalyticsTestEvents.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Loads the dashboard in headless Chromium ({@code CHROMIUM_BIN}, default /usr/bin/chromium) against this service
 * fed with real events through Kafka, and reads the charts back from the DOM after the page's script ran.
 */
@PlatformIntegrationTest
class DashboardBrowserTest {

    @LocalServerPort
    int port;

    @Test
    void chartsRenderTheAggregatesOfRealEvents() throws Exception {
        Instant now = Instant.now();
        Instant twoDaysAgo = now.minus(2, ChronoUnit.DAYS);
        String account = "acc-" + UUID.randomUUID();
        send(usage(account, "browser-model", "browser-provider", 100, 200, 250_000, Outcome.COMPLETED, 80, 12L, now));
        send(usage(account, "browser-model", "browser-provider", 100, 200, 250_000, Outcome.UPSTREAM_ERROR, 40, 6L, now));
        send(usage(account, "browser-mini", "browser-provider", 10, 20, 1_500_000, Outcome.COMPLETED, 30, 3L, twoDaysAgo));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        await().atMost(Duration.ofSeconds(20)).until(() -> RestClient.create(base()).get()
                .uri("/api/v1/analytics/usage?accountId=" + account)
                .header("X-Platform-Identity", TestIdentities.token("analyst-1", "analyst"))
                .retrieve().body(String.class), body -> body.contains("\"requests\":2"));

        String dom = dumpDom(base() + "/api/v1/analytics/dashboard/#identity="
                + TestIdentities.token("analyst-1", "analyst"));

        assertThat(dom).contains("data-rendered=\"true\"");
        // requests per day: a point for today with both of today's requests
        assertThat(marks(dom, "panel-requests", "circle")).contains(today + "=2");
        // cost per day in USD
        assertThat(marks(dom, "panel-cost", "circle")).contains(today + "=0.5");
        // cost by provider and model: one bar each
        assertThat(marks(dom, "panel-cost-by-model", "rect"))
                .contains("browser-provider / browser-model=0.5", "browser-provider / browser-mini=1.5");
        // latency percentiles: today's p50/p99 come from the 40 and 80 ms requests (exact below 100 ms)
        assertThat(section(dom, "panel-latency")).contains("data-series=\"p50\"").contains("data-series=\"p99\"");
        assertThat(marks(dom, "panel-latency", "circle")).contains(today + "=40", today + "=80");
        assertThat(marks(dom, "panel-ttft", "circle")).contains(today + "=6", today + "=12");
        // error rate by class: one of today's two requests failed upstream
        assertThat(section(dom, "panel-errors")).contains("data-series=\"UPSTREAM_ERROR\"");
        assertThat(marks(dom, "panel-errors", "circle")).contains(today + "=0.5");
        assertThat(marks(dom, "panel-active", "circle")).contains(today + "=1");
        String month = today.substring(0, 7), earlierMonth = twoDaysAgo.toString().substring(0, 7);
        assertThat(marks(dom, "panel-revenue", "rect")).containsAll(month.equals(earlierMonth)
                ? List.of(month + "=2") : List.of(earlierMonth + "=1.5", month + "=0.5"));
        assertThat(section(dom, "panel-rollout")).contains("No data");
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

    /** "label=value" of every chart mark of one kind in a panel. */
    private static List<String> marks(String dom, String panel, String element) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + element + " class=\"(?:point|bar)\"[^>]*?data-label=\"([^\"]*)\" data-value=\"([^\"]*)\"")
                .matcher(section(dom, panel));
        while (m.find()) {
            out.add(m.group(1) + "=" + m.group(2));
        }
        return out;
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

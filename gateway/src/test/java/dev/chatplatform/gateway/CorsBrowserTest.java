package dev.chatplatform.gateway;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CORS as a browser enforces it: a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver};
 * {@code CHROMIUM_BIN} / {@code CHROMEDRIVER_BIN} move them) opens a page served by a small HTTP server of its own,
 * whose origin ({@code http://localhost:<port>}) is on the allow-list, and calls the gateway with {@code fetch}: the
 * preflight passes without a key, the chat answer streams in over SSE chunk by chunk, the exposed headers are
 * readable, and so is a 401. The same page from {@code http://127.0.0.1:<port>}, an origin off the list, is refused.
 */
class CorsBrowserTest extends GatewayIntegrationTest {

    private static HttpServer pages;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        byte[] page;
        try (InputStream in = CorsBrowserTest.class.getResourceAsStream("/cors/client.html")) {
            page = in.readAllBytes();
        }
        pages = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        pages.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
            }
        });
        pages.start();
        browser = chromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    @Test
    void aPageOfAnAllowedOriginStreamsAChatAnswerAndReadsTheExposedHeaders() {
        TestKey key = activeKey("chat");
        StubServices.Stream stream = STUBS.nextStream();
        open("localhost");

        browser.executeScript("streamChat(arguments[0], arguments[1])", gateway(), key.secret());

        await().atMost(Duration.ofSeconds(30)).until(() -> answer().contains("{\"chunk\":1}"));
        assertThat(answer()).as("the rest is not sent yet: the page reads the stream as it arrives")
                .doesNotContain("{\"chunk\":2}");
        stream.firstChunkSeen.countDown();
        Map<String, Object> outcome = outcome();
        assertThat(outcome).doesNotContainKey("error").containsEntry("status", 200L);
        assertThat(answer()).contains("{\"chunk\":2}", "[DONE]");
        assertThat((String) outcome.get("contentType")).startsWith("text/event-stream");
        assertThat((String) outcome.get("requestId")).as("exposed").startsWith("req_");
        assertThat(outcome.get("rateLimitRemaining")).as("exposed").isEqualTo("9");
    }

    @Test
    void aPageOfAnAllowedOriginCanReadAnAuthenticationError() {
        open("localhost");

        browser.executeScript("callWithoutKey(arguments[0])", gateway());

        Map<String, Object> outcome = outcome();
        assertThat(outcome).doesNotContainKey("error").containsEntry("status", 401L)
                .containsEntry("code", "missing_api_key");
        assertThat((String) outcome.get("requestId")).startsWith("req_");
    }

    @Test
    void aPageOfAnotherOriginIsRefusedByTheBrowser() {
        TestKey key = activeKey("chat");
        open("127.0.0.1");

        browser.executeScript("streamChat(arguments[0], arguments[1])", gateway(), key.secret());

        assertThat(outcome()).containsEntry("error", "TypeError: Failed to fetch");
        assertThat(answer()).isEmpty();
    }

    private void open(String host) {
        browser.get("http://" + host + ":" + pages.getAddress().getPort() + "/");
        await().until(() -> "complete".equals(browser.executeScript("return document.readyState")));
    }

    private String gateway() {
        return "http://localhost:" + port;
    }

    private static String answer() {
        return (String) browser.executeScript("return document.getElementById('answer').textContent");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outcome() {
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.executeScript("return window.outcome") != null);
        return (Map<String, Object>) browser.executeScript("return window.outcome");
    }

    static ChromeDriver chromium() {
        String chromium = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        assertThat(Path.of(chromium)).as("apt-get install -y chromium (or set CHROMIUM_BIN)").isRegularFile();
        assertThat(Path.of(driver)).as("apt-get install -y chromium-driver (or set CHROMEDRIVER_BIN)").isRegularFile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build(), options);
    }
}

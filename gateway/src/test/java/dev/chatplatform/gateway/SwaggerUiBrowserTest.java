package dev.chatplatform.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Swagger UI at {@code /docs} in a real headless Chromium, used as a person would: the page loads the platform's
 * document under its content security policy, lists the operations by tag, and after "Authorize" with an API key,
 * "Try it out" and "Execute" on {@code GET /v1/models} shows the gateway's 200.
 */
class SwaggerUiBrowserTest extends GatewayIntegrationTest {

    private static ChromeDriver browser;

    @BeforeAll
    static void start() {
        browser = CorsBrowserTest.chromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPersonAuthorizesWithAKeyAndTriesTheModelList() {
        browser.get("http://localhost:" + port + "/docs");
        WebElement models = waitFor(By.id("operations-Models-modelsList"));
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("chat-platform API", "/v1/chat/completions", "/api/v1/conversations");

        browser.findElement(By.cssSelector("button.authorize")).click();
        waitFor(By.cssSelector(".modal-ux input")).sendKeys(ADMIN_KEY);
        browser.findElement(By.cssSelector(".modal-ux button.authorize")).click();
        browser.findElement(By.cssSelector(".modal-ux button.btn-done")).click();

        models.findElement(By.cssSelector(".opblock-summary")).click();
        waitFor(By.cssSelector("#operations-Models-modelsList button.try-out__btn")).click();
        waitFor(By.cssSelector("#operations-Models-modelsList button.execute")).click();
        WebElement status = waitFor(By.cssSelector("#operations-Models-modelsList .live-responses-table tr.response .response-col_status"));
        assertThat(status.getText()).startsWith("200");
    }

    private static WebElement waitFor(By locator) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> !browser.findElements(locator).isEmpty() && browser.findElement(locator).isDisplayed());
        List<WebElement> found = browser.findElements(locator);
        return found.getFirst();
    }
}

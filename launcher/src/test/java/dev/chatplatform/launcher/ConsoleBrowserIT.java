package dev.chatplatform.launcher;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console as a person uses it, in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code CHROMIUM_BIN} / {@code CHROMEDRIVER_BIN} move them) against the platform the
 * launcher starts: sign in with the demo key, chat with an answer streamed in and rendered as sanitised Markdown,
 * stop it half way and regenerate it, switch model, find the tokens on the usage page, create and revoke a key
 * (the revoked key is then refused by the API), hit an exhausted quota to be offered the upgrade, upgrade through
 * Stripe Checkout and come back from it and from the Portal, and sign up with an OIDC issuer on first login and sign
 * out. Every page is checked with axe-core (no serious or critical violation) and photographed at desktop and phone
 * size into {@code target/console-screenshots/} (property {@code console.screenshots}).
 * <p>
 * Answers of model {@link MarkdownModel#MODEL} come from a {@link MarkdownModel} in this JVM, reached by
 * provider-service as an OpenAI-compatible server; the other models are the platform's simulated ones. Billing runs
 * in Stripe mode against a {@link StripeStandIn} (Stripe's API, its hosted Checkout and Portal pages, signed
 * webhooks to the gateway), and the gateway accepts the ID tokens of an {@link OidcIssuer} next to API keys: both
 * run in this JVM, so this one platform start covers them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Dimension DESKTOP = new Dimension(1280, 900);
    private static final Dimension PHONE = new Dimension(390, 844);

    private static Path data;
    private static Path screenshots;
    private static MarkdownModel markdown;
    private static StripeStandIn stripe;
    private static OidcIssuer oidc;
    private static LocalPlatform platform;
    private static ChromeDriver browser;
    private static String axe;
    private static String conversationPath;
    private static String operators;
    private static String chatKey;
    private static String analystKey;

    @BeforeAll
    static void start() throws Exception {
        screenshots = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));
        Files.createDirectories(screenshots);
        try (InputStream in = ConsoleBrowserIT.class.getResourceAsStream(
                "/META-INF/resources/webjars/axe-core/" + System.getProperty("axe-core.version", "4.6.3") + "/axe.min.js")) {
            assertThat(in).as("the axe-core WebJar on the test classpath").isNotNull();
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        markdown = new MarkdownModel();
        data = Files.createTempDirectory("platform-console");
        int basePort = Integer.parseInt(System.getProperty("e2e.basePort", "18080"));
        String gateway = "http://localhost:" + basePort;
        stripe = new StripeStandIn(gateway + "/webhooks/stripe");
        Map<String, String> env = new java.util.HashMap<>(Map.of("SIMULATED_FIRST_TOKEN_DELAY", "0ms",
                "SIMULATED_TOKENS_PER_SECOND", "400", "OPENAI_COMPATIBLE_BASE_URL", markdown.url(),
                "OPENAI_COMPATIBLE_API_KEY", "unused", "OPENAI_COMPATIBLE_MODELS", MarkdownModel.MODEL));
        env.putAll(stripe.billingEnvironment(gateway)); // billing in Stripe mode: Checkout and the Portal are real pages
        oidc = new OidcIssuer();
        env.putAll(oidc.platformEnvironment()); // OIDC sign-in next to API keys
        LauncherConfig config = new LauncherConfig(Path.of("..").toAbsolutePath().normalize(), data, basePort,
                LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), Map.copyOf(env),
                Duration.ofMinutes(10)); // a machine shared with other builds can be slow to start seven JVMs
        platform = LocalPlatform.start(config);
        platform.liftFreeTierLimits();
        priceTheMarkdownModel();
        browser = chromium();
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.close();
        }
        if (markdown != null) {
            markdown.close();
        }
        if (stripe != null) {
            stripe.close();
        }
        if (oidc != null) {
            oidc.close();
        }
        try (var files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void aPersonSignsInWithTheDemoKey() {
        browser.get(platform.gatewayUrl() + "/");
        waitFor(ExpectedConditions.urlContains("/signin"));
        WebElement key = visible(By.name("api-key"));
        lookAt("signin");

        key.sendKeys("sk-cp-not-a-key");
        button("Sign in").click();
        assertThat(visible(By.cssSelector("[role=alert]")).getText()).contains("not valid");

        key = visible(By.name("api-key"));
        key.clear();
        key.sendKeys(platform.demoApiKey());
        button("Sign in").click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "New chat"));
        assertThat(browser.getCurrentUrl()).endsWith("/chat");
        assertThat(visible(By.cssSelector("[data-testid=tier-badge]")).getText()).isEqualToIgnoringCase("free plan");
        assertThat(storage("localStorage")).as("nothing of the key in localStorage")
                .doesNotContain(platform.demoApiKey());
    }

    @Test
    @Order(2)
    void theAnswerStreamsInAndIsRenderedAsSanitisedMarkdown() {
        new Select(visible(By.name("model"))).selectByValue(MarkdownModel.MODEL);
        markdown.hold();
        visible(By.name("message")).sendKeys("Show me what Markdown looks like.");
        button("Send").click();

        // half the answer is on screen while the model is still writing
        WebElement answer = visible(By.cssSelector(".message.assistant.generating"));
        waitFor(d -> answer.findElement(By.cssSelector(".content strong")).getText().equals("bold words"));
        assertThat(answer.getText()).doesNotContain("Done.");
        assertThat(button("Stop").isDisplayed()).isTrue();
        markdown.release();

        WebElement done = visible(By.cssSelector(".message.assistant[data-status=completed]"));
        waitFor(d -> done.findElement(By.cssSelector(".meta")).getText().contains("out tokens"));
        assertThat(done.findElement(By.cssSelector(".content h2")).getText()).isEqualTo("Streams in Markdown");
        assertThat(done.findElements(By.cssSelector(".content li"))).extracting(WebElement::getText)
                .containsExactly("one", "two");
        WebElement code = done.findElement(By.cssSelector(".content pre code"));
        assertThat(code.getText()).isEqualTo("int answer = 42;");
        waitFor(d -> String.valueOf(code.getAttribute("class")).contains("hljs")); // highlight.js loads with the first code shown
        assertThat(done.findElements(By.cssSelector(".content script, .content [onerror], .content img"))).isEmpty();
        assertThat(done.findElement(By.cssSelector(".content")).getText()).contains("[image]");
        assertThat(browser.executeScript("return window.injected === undefined")).isEqualTo(true);
        assertThat(done.findElement(By.cssSelector(".meta")).getText()).startsWith(MarkdownModel.MODEL);
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Show me what Markdown looks like."));
        conversationPath = URI.create(browser.getCurrentUrl()).getPath();
        assertThat(conversationPath).startsWith("/chat/conv_");
        printFigures();
    }

    @Test
    @Order(3)
    void anAnswerStoppedHalfWayKeepsWhatWasWrittenAndCanBeRegenerated() {
        markdown.hold();
        visible(By.name("message")).sendKeys("Once more, please.");
        button("Send").click();
        WebElement partial = visible(By.cssSelector(".message.assistant.generating"));
        waitFor(d -> !partial.findElements(By.cssSelector(".content strong")).isEmpty());
        button("Stop").click();
        // the stop is recorded; chat-service acts on it at the next chunk (provider-service drops empty deltas, so
        // none come while the model is held), which the release sends
        waitFor(ExpectedConditions.textToBe(By.cssSelector(".conversation [role=status].sr-only"), "Stopping…"));
        markdown.release();

        visible(By.cssSelector("[data-testid=stopped]"));
        WebElement stopped = lastAnswer();
        assertThat(stopped.getAttribute("data-status")).isEqualTo("stopped");
        assertThat(stopped.getText()).contains("bold words").doesNotContain("Done.");

        button("Regenerate").click();
        waitFor(d -> "completed".equals(lastAnswer().getAttribute("data-status"))
                && lastAnswer().getText().contains("Done."));
        assertThat(browser.findElements(By.cssSelector("[data-testid=stopped]"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector(".message.assistant"))).hasSize(2);
    }

    @Test
    @Order(4)
    void switchingTheModelAnswersWithTheNewOne() {
        new Select(visible(By.name("model"))).selectByValue("sim-1");
        waitFor(ExpectedConditions.textToBe(By.cssSelector(".conversation [role=status].sr-only"), "Model changed to sim-1."));
        visible(By.name("message")).sendKeys("And now in plain words?");
        button("Send").click();

        waitFor(d -> lastAnswer().findElement(By.cssSelector(".meta")).getText().startsWith("sim-1 ·")
                && lastAnswer().findElement(By.cssSelector(".meta")).getText().contains("out tokens"));
        assertThat(lastAnswer().findElement(By.cssSelector(".content")).getText()).isNotBlank();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=totals]"),
                "This conversation: 3 answers"));
        lookAt("chat");
    }

    @Test
    @Order(5)
    void theUsagePageShowsTheTokensOfEachModel() throws Exception {
        // the three answers of md-1 (the stopped one too) reach usage-service over Kafka
        JsonNode usage = await().atMost(WAIT).until(() -> api("GET", "/api/v1/usage/me", platform.demoApiKey(), null).body(),
                u -> line(u, MarkdownModel.MODEL) != null && line(u, MarkdownModel.MODEL).path("requests").asLong() == 3
                        && line(u, "sim-1") != null);
        long markdownTokens = line(usage, MarkdownModel.MODEL).path("totalTokens").asLong();
        assertThat(markdownTokens).isPositive();

        browser.get(platform.gatewayUrl() + "/usage");
        WebElement row;
        try {
            row = visible(By.cssSelector("tr[data-model='" + MarkdownModel.MODEL + "']"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no row for " + MarkdownModel.MODEL + " on the usage page, which says: "
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells.get(0).getText()).isEqualTo("3");
        assertThat(cells.get(1).getText().replace(",", "")).isEqualTo(Long.toString(markdownTokens));
        assertThat(visible(By.cssSelector("tr[data-provider=openai-compatible]")).getText()).contains("openai-compatible");
        assertThat(browser.findElements(By.cssSelector(".limit[data-limit]"))).isNotEmpty();
        waitFor(d -> !d.findElements(By.cssSelector(".chart svg")).isEmpty()); // the charts are drawn
        lookAt("usage");
    }

    @Test
    @Order(6)
    void aKeyIsCreatedShownOnceAndRevokedKeysAreRefusedByTheApi() throws Exception {
        browser.get(platform.gatewayUrl() + "/keys");
        visible(By.name("name")).sendKeys("browser test");
        button("Create key").click();
        String secret = visible(By.cssSelector("[data-testid=new-secret]")).getText();
        assertThat(secret).startsWith("sk-cp-");
        visible(By.cssSelector("tr[data-status=active] th"));
        await().atMost(WAIT).until(() -> api("GET", "/v1/models", secret, null).status(), s -> s == 200);
        lookAt("keys");

        browser.get(platform.gatewayUrl() + "/keys");
        assertThat(browser.findElements(By.cssSelector("[data-testid=new-secret]"))).as("shown only once").isEmpty();
        visible(By.cssSelector("button[aria-label='Revoke browser test']")).click();
        waitFor(ExpectedConditions.alertIsPresent()).accept();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("form [role=status]"), "revoked"));
        visible(By.cssSelector("tr[data-status=revoked]"));
        await().atMost(WAIT).until(() -> api("GET", "/v1/models", secret, null).status(), s -> s == 401);
        assertThat(api("GET", "/v1/models", platform.demoApiKey(), null).status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void billingAndSettingsPagesOpen() {
        browser.get(platform.gatewayUrl() + "/billing");
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing"));
        assertThat(visible(By.cssSelector("[data-testid=current-tier]")).getText()).isEqualTo("free");
        assertThat(browser.findElements(By.cssSelector("article.plan[data-tier]"))).hasSizeGreaterThan(1);
        lookAt("billing");

        browser.get(platform.gatewayUrl() + "/settings");
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Settings"));
        lookAt("settings");
    }

    @Test
    @Order(8)
    void anExhaustedQuotaSaysWhichLimitAndOffersTheUpgrade() {
        DemoAccount.setFreeTierLimits(platform.gatewayUrl(), platform.adminApiKey(), platform.demoApiKey(), Map.of(
                "messagesPerDay", 1L, "tokensPerMonth", 100_000_000_000L, "costMicroUsdPerMonth", 100_000_000_000L,
                "requestsPerMinute", 1_000_001L, "tokensPerMinute", 1_000_000_000L, "allowedModels", List.of("*")));
        browser.get(platform.gatewayUrl() + conversationPath);
        visible(By.cssSelector(".message.assistant"));
        visible(By.name("message")).sendKeys("One message too many.");
        button("Send").click();

        WebElement error = visible(By.cssSelector("[data-testid=error]"));
        assertThat(error.getText()).contains("Usage limit reached").contains("messages your plan allows today");
        waitFor(d -> error.findElement(By.cssSelector(".resets")).getText().startsWith("It resets on"));
        assertThat(browser.findElement(By.name("message")).getAttribute("value"))
                .as("the refused message is given back").isEqualTo("One message too many.");
        lookAt("quota-exhausted");
        error.findElement(By.linkText("Upgrade your plan")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing"));
    }

    // ---- the operator's console (/admin), on the same platform: a chat key, an admin, an analyst ----

    @Test
    @Order(9)
    void aChatKeyGetsNoAdminPageAndTheApiRefusesIt() throws Exception {
        operators = newAccount("ops-" + Long.toString(System.nanoTime(), 36) + "@example.com", "Operations");
        chatKey = newKey(operators, "chat only", "chat");
        analystKey = newKey(operators, "analyst", "analyst");
        for (String path : List.of("/api/v1/admin/accounts", "/api/v1/admin/models", "/api/v1/flags",
                "/api/v1/usage/admin/tiers", "/api/v1/admin/accounts/" + operators + "/api-keys")) {
            Reply refused = api("GET", path, chatKey, null);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.body().path("error").path("code").asString()).isEqualTo("insufficient_scope");
        }
        assertThat(api("PUT", "/api/v1/admin/accounts/" + operators + "/tier", chatKey, "{\"tier\":\"pro\"}").status())
                .isEqualTo(403);

        signInWith(chatKey);
        assertThat(browser.findElements(By.cssSelector("#main-nav a[href='/admin']"))).as("no Admin entry").isEmpty();
        browser.get(platform.gatewayUrl() + "/admin/accounts");
        assertThat(visible(By.cssSelector("[data-testid=admin-refused]")).getText()).contains("admin or analyst scope");
        assertThat(browser.findElements(By.cssSelector("table"))).isEmpty();
        lookAt("admin-refused");
    }

    @Test
    @Order(10)
    void anOperatorFindsAnAccountAndMovesItToAnotherTierWhichItsNextChatRequestGets() throws Exception {
        String marker = Long.toString(System.nanoTime(), 36);
        String email = "grace-" + marker + "@example.com";
        String customer = newAccount(email, "Grace Hopper " + marker);
        String customerKey = newKey(customer, "laptop", "chat");
        String chat = "{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        // the free tier allows one message a day since anExhaustedQuota...: the second is refused
        assertThat(api("POST", "/v1/chat/completions", customerKey, chat).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> api("POST", "/v1/chat/completions", customerKey, chat).status(), s -> s == 429);

        signInWith(platform.adminApiKey());
        visible(By.cssSelector("#main-nav a[href='/admin']")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Accounts"));
        visible(By.name("q")).sendKeys("GRACE-" + marker);
        button("Search").click();
        waitFor(d -> d.findElements(By.cssSelector("tr[data-account-id]")).size() == 1
                && d.findElement(By.cssSelector("tr[data-account-id]")).getAttribute("data-account-id").equals(customer));
        browser.findElement(By.linkText(email)).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Account Grace Hopper " + marker));
        assertThat(visible(By.cssSelector("[data-testid=account-tier]")).getText()).isEqualTo("free");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=quota-tier]"), "free"));
        assertThat(browser.findElements(By.cssSelector("tr[data-status=active]"))).as("its key").hasSize(1);

        new Select(visible(By.name("tier"))).selectByValue("pro");
        visible(By.name("reason")).sendKeys("support ticket " + marker);
        button("Change tier").click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main p.status"), "moved to the pro tier"));
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=account-tier]"), "pro"));
        // its next chat request gets the pro tier's limits (subscriptions.v1 -> usage-service -> quota.v1)
        await().atMost(WAIT).until(() -> api("POST", "/v1/chat/completions", customerKey, chat).status(), s -> s == 200);
        browser.navigate().refresh();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid=quota-tier]"), "pro"));
        lookAt("admin-account");

        button("Suspend").click();
        assertThat(waitFor(ExpectedConditions.alertIsPresent()).getText()).contains(email);
        browser.switchTo().alert().accept();
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=account-status]"), "suspended"));
        await().atMost(WAIT).until(() -> api("POST", "/v1/chat/completions", customerKey, chat).status(), s -> s == 403);
        button("Reactivate").click();
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=account-status]"), "active"));
        await().atMost(WAIT).until(() -> api("POST", "/v1/chat/completions", customerKey, chat).status(), s -> s == 200);

        button("Delete account").click();
        assertThat(waitFor(ExpectedConditions.alertIsPresent()).getText()).contains("Delete the account " + email);
        browser.switchTo().alert().accept();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Accounts"));
        assertThat(api("GET", "/api/v1/admin/accounts/" + customer, platform.adminApiKey(), null).body().path("status")
                .asString()).isEqualTo("deleted");

        // the audit log lists each change: who, the tier before and after, and the reason typed with it
        browser.findElement(By.linkText("Audit log")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Audit log"));
        visible(By.name("targetId")).sendKeys(customer);
        new Select(visible(By.name("service"))).selectByValue("billing-service");
        button("Search").click();
        By entries = By.cssSelector("tr[data-target='account:" + customer + "']");
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            if (browser.findElements(entries).size() < 6) {
                button("Search").click(); // analytics-service takes the entries from audit.v1 a moment after the change
                return false;
            }
            return true;
        });
        WebElement entry = visible(By.cssSelector("tr[data-action='account.tier-changed'][data-target='account:"
                + customer + "']"));
        assertThat(entry.findElement(By.cssSelector("[data-testid=audit-change]")).getText()).contains("tier: free → pro");
        assertThat(entry.findElement(By.cssSelector("[data-testid=audit-reason]")).getText())
                .isEqualTo("support ticket " + marker);
        assertThat(entry.getText()).contains("billing-service");
        assertThat(browser.findElements(entries))
                .extracting(r -> r.getAttribute("data-action")).as("newest first")
                .containsExactly("account.deleted", "account.reactivated", "account.suspended", "account.tier-changed",
                        "account.key-issued", "account.created");
        lookAt("admin-audit");
    }

    @Test
    @Order(11)
    void anOperatorAddsAModelAndSchedulesPricesNeverInThePast() throws Exception {
        browser.get(platform.gatewayUrl() + "/admin/models");
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Models and prices"));
        assertThat(visible(By.cssSelector("tr[data-model='sim-1'] [data-testid=price-in-force]")).getText()).contains(" in · ");

        visible(By.xpath("//summary[normalize-space(.)='Add a model']")).click();
        visible(By.name("model-id")).sendKeys("sim-console");
        new Select(visible(By.name("provider"))).selectByValue("simulated");
        visible(By.name("upstream")).sendKeys("sim-1");
        button("Add model").click();
        WebElement added = visible(By.cssSelector("tr[data-model='sim-console']"));
        assertThat(added.getText()).contains("no price");

        WebElement book = visible(By.cssSelector("details[data-prices='sim-console']"));
        book.findElement(By.name("input")).sendKeys("0.25");
        book.findElement(By.name("output")).sendKeys("0.75");
        book.findElement(By.xpath(".//button[normalize-space(.)='Schedule price']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-model='sim-console'] [data-testid=price-in-force]"), "$0.25 in · $0.75 out · $0.25 cached"));
        await().atMost(WAIT).until(() -> api("GET", "/v1/models", platform.demoApiKey(), null).body().path("data")
                .findValuesAsString("id").contains("sim-console"));

        // a date in the past is refused on the page (and by the API), a later one is scheduled beside the price in force
        WebElement md = visible(By.cssSelector("details[data-prices='" + MarkdownModel.MODEL + "']"));
        if (md.getAttribute("open") == null) {
            md.findElement(By.tagName("summary")).click();
        }
        String inForce = visible(By.cssSelector("tr[data-model='" + MarkdownModel.MODEL + "'] [data-testid=price-in-force]")).getText();
        WebElement when = md.findElement(By.name("effectiveFrom"));
        when.sendKeys("01012020" + Keys.TAB + "1000AM");
        md.findElement(By.name("input")).sendKeys("3");
        md.findElement(By.name("output")).sendKeys("6");
        md.findElement(By.xpath(".//button[normalize-space(.)='Schedule price']")).click();
        assertThat(visible(By.cssSelector("details[data-prices='" + MarkdownModel.MODEL + "'] .form-error")).getText())
                .contains("never in the past");
        assertThat(api("POST", "/api/v1/admin/models/" + MarkdownModel.MODEL + "/prices", platform.adminApiKey(),
                "{\"effectiveFrom\":\"2020-01-01T10:00:00Z\",\"inputMicroUsdPerMtok\":1,\"outputMicroUsdPerMtok\":1,"
                        + "\"cachedInputMicroUsdPerMtok\":1}").body().path("error").path("code").asString()).isEqualTo("price_in_past");
        when.sendKeys("12312030" + Keys.TAB + "1030AM");
        assertThat(when.getAttribute("value")).isEqualTo("2030-12-31T10:30");
        md.findElement(By.xpath(".//button[normalize-space(.)='Schedule price']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main p.status"), "New price of " + MarkdownModel.MODEL));
        // the history is drawn again after the status: wait for the new row rather than read the first one shown
        WebElement scheduled = visible(By.xpath("//details[@data-prices='" + MarkdownModel.MODEL
                + "']//tbody/tr[contains(., '2030')]"));
        assertThat(scheduled.getText()).contains("2030").contains("$3.00").contains("$6.00").contains("scheduled");
        assertThat(visible(By.cssSelector("tr[data-model='" + MarkdownModel.MODEL + "'] [data-testid=price-in-force]")).getText())
                .as("the price in force is unchanged until then").isEqualTo(inForce);
        lookAt("admin-models");
    }

    @Test
    @Order(12)
    void anAnalystSeesTheReadOnlyPagesWithoutEditControlsAndOpensTheAnalyticsDashboard() throws Exception {
        signInWith(analystKey);
        visible(By.cssSelector("#main-nav a[href='/admin']")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Accounts"));
        assertThat(visible(By.cssSelector("[data-testid=read-only]")).getText()).contains("analyst");
        visible(By.name("q")).sendKeys("ops-");
        button("Search").click();
        waitFor(d -> d.findElements(By.cssSelector("tr[data-account-id]")).size() == 1);
        browser.findElement(By.cssSelector("tr[data-account-id] a")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Account Operations"));
        visible(By.cssSelector("tr[data-status=active]"));
        assertThat(browser.findElements(By.xpath("//main//button"))).extracting(WebElement::getText)
                .doesNotContain("Change tier", "Suspend", "Reactivate", "Delete account");
        assertThat(browser.findElements(By.name("tier"))).isEmpty();
        lookAt("admin-analyst");

        browser.findElement(By.linkText("Models and prices")).click();
        visible(By.cssSelector("tr[data-model='sim-1']"));
        assertThat(browser.findElements(By.xpath("//main//button"))).isEmpty();
        assertThat(browser.findElements(By.xpath("//summary[normalize-space(.)='Add a model']"))).isEmpty();
        assertThat(api("PUT", "/api/v1/admin/accounts/" + operators + "/tier", analystKey, "{\"tier\":\"pro\"}").status())
                .isEqualTo(403);

        // analytics-service's dashboard, opened from the admin sections with the console's sign-in (no second one)
        browser.findElement(By.linkText("Analytics")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Chat platform analytics"));
        waitFor(d -> d.findElement(By.tagName("body")).getDomAttribute("data-rendered") != null);
        assertThat(browser.findElement(By.tagName("body")).getDomAttribute("data-rendered"))
                .as(browser.findElement(By.id("status")).getText()).isEqualTo("true");
        assertThat(browser.findElement(By.id("login")).isDisplayed()).as("no second sign-in").isFalse();
        // each chart of what the platform did so far: drawn by ECharts (its instance, SVG marks) and its values in
        // the table screen readers read, the same as the chart's own option
        JsonNode charts = JSON.readTree((String) browser.executeScript("""
                return JSON.stringify(Object.fromEntries(arguments[0].map(panel => {
                  const plot = document.querySelector('#' + panel + ' .plot');
                  const option = plot && echarts.getInstanceByDom(plot)?.getOption();
                  const cells = [...document.querySelectorAll('#' + panel + ' .values td')];
                  return [panel, {svgMarks: plot ? plot.querySelectorAll('svg path').length : 0,
                    // row by row, as the table reads: each label's value of every series
                    option: option ? option.series[0].data.flatMap((_, i) => option.series.map(s => s.data[i])) : null,
                    table: cells.map(c => c.dataset.value === '' ? null : Number(c.dataset.value))}];
                })));""", List.of("panel-requests", "panel-tokens", "panel-cost-by-model", "panel-active",
                "panel-tiers", "panel-conversations", "panel-messages")));
        charts.properties().forEach(chart -> {
            JsonNode c = chart.getValue();
            assertThat(c.path("svgMarks").asInt()).as("ECharts marks in %s", chart.getKey()).isPositive();
            assertThat(c.path("table").size()).as("values of %s", chart.getKey()).isPositive();
            assertThat(c.path("table")).as("the table of %s holds the chart's values", chart.getKey())
                    .isEqualTo(c.path("option"));
            assertThat(c.path("table").valueStream().mapToDouble(JsonNode::asDouble).sum())
                    .as("something counted in %s", chart.getKey()).isPositive();
        });
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        double requestsToday = dataValue("#panel-requests .values tr[data-label='" + today + "'] td");
        assertThat(requestsToday).as("today's requests on the dashboard, at most what the API counts now")
                .isPositive().isLessThanOrEqualTo(api("GET", "/api/v1/analytics/usage?from=" + today + "&to=" + today,
                        analystKey, null).body().path("rows").path(0).path("requests").asDouble());
        lookAt("admin-analytics");
        browser.findElement(By.linkText("Back to the console")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Accounts"));
    }

    /** The exact number in an element's data-value (the dashboard's tables of values are visually hidden). */
    private static double dataValue(String css) {
        return Double.parseDouble(waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)))
                .getDomAttribute("data-value"));
    }

    @Test
    @Order(13)
    void anOperatorCreatesAFlagStartsItsPlanAndAdvancesKillsAndRevivesItWithReasons() throws Exception {
        signInWith(platform.adminApiKey());
        browser.findElement(By.linkText("Rollouts")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Rollouts"));
        visible(By.xpath("//summary[normalize-space(.)='Create a flag']")).click();
        // provider-service tags every upstream call with this flag's variant: the page then has variants to compare
        visible(By.name("flag-key")).sendKeys("provider.weighted-routing");
        visible(By.name("description")).sendKeys("Weighted random order of a model's deployments");
        visible(By.name("allow-list")).sendKeys(operators);
        WebElement percentage = visible(By.name("percentage"));
        percentage.clear();
        percentage.sendKeys("50");
        visible(By.name("reason")).sendKeys("try the weighted order on half the traffic");
        button("Create flag").click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Flag provider.weighted-routing"));
        assertThat(visible(By.cssSelector("[data-testid=flag-state]")).getText()).isEqualTo("on");
        assertThat(visible(By.cssSelector("[data-testid=flag-targeting]")).getText()).contains("allow " + operators);

        button("Start plan").click();
        answerPrompt("start with the test accounts");
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=plan-status]"), "ACTIVE"));
        assertThat(visible(By.cssSelector("tr[data-current=true] th")).getText()).isEqualTo("test-accounts");
        button("Advance").click();
        answerPrompt("test accounts look fine");
        waitFor(ExpectedConditions.textToBe(By.cssSelector("tr[data-current=true] th"), "10%"));

        // calls tagged with the flag reach the comparison and, over Kafka, analytics' variants over time
        // (the operators' account, allow-listed, moves to pro: the free tier's one message a day is spent elsewhere)
        assertThat(api("PUT", "/api/v1/admin/accounts/" + operators + "/tier", platform.adminApiKey(), "{\"tier\":\"pro\"}")
                .status()).isEqualTo(200);
        String chat = "{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\",\"content\":\"compare\"}]}";
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
            api("POST", "/v1/chat/completions", chatKey, chat); // tagged once provider-service has the flag
            return api("GET", "/api/v1/analytics/variants?flag=provider.weighted-routing", platform.adminApiKey(), null)
                    .body().path("rows").size();
        }, n -> n > 0);
        browser.navigate().refresh();
        WebElement verdict = visible(By.cssSelector("[data-testid=verdict]"));
        waitFor(d -> !d.findElements(By.cssSelector(".chart svg")).isEmpty());
        browser.executeScript("arguments[0].scrollIntoView()", verdict); // the screenshot shows the comparison and chart
        lookAt("admin-rollout");

        button("Kill").click();
        answerPrompt("weighted order sends too much to the slow deployment");
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=flag-state]"), "killed"));
        button("Revive").click();
        answerPrompt("slow deployment fixed");
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=flag-state]"), "on"));
        String audit = visible(By.cssSelector("[data-testid=audit]")).getText();
        assertThat(audit).contains("try the weighted order on half the traffic", "test accounts look fine",
                "weighted order sends too much to the slow deployment", "slow deployment fixed");
        JsonNode entries = api("GET", "/api/v1/flags/provider.weighted-routing/audit", analystKey, null).body().path("data");
        assertThat(entries.findValuesAsString("reason")).contains("slow deployment fixed");

        browser.findElement(By.linkText("Rollouts")).click();
        assertThat(visible(By.cssSelector("tr[data-flag='provider.weighted-routing']")).getText())
                .contains("on").contains("active: 10%");
        assertThat(visible(By.cssSelector("[data-testid=env-switches]")).getText()).contains("None in force");
        lookAt("admin-rollouts");
    }

    @Test
    @Order(14)
    void anOperatorEditsATierWithValidationAndSeesTheBillingOperations() throws Exception {
        browser.findElement(By.linkText("Tiers")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Tiers"));
        WebElement free = visible(By.cssSelector("section[data-tier=free]"));
        waitFor(d -> free.findElement(By.cssSelector("[data-testid=tier-accounts]")).getText().contains("accounts"));
        WebElement messages = free.findElement(By.name("messagesPerDay"));
        messages.clear();
        messages.sendKeys("many");
        free.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(visible(By.cssSelector("section[data-tier=free] .form-error")).getText())
                .isEqualTo("Messages per day must be a whole number, 0 or more.");
        messages.clear();
        messages.sendKeys("2");
        free.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main p.status"), "Tier free saved"));
        assertThat(api("GET", "/api/v1/usage/admin/tiers/free", analystKey, null).body().path("messagesPerDay").asLong())
                .isEqualTo(2);
        lookAt("admin-tiers");

        browser.findElement(By.linkText("Billing operations")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing operations"));
        visible(By.cssSelector("[data-testid=job-counts]"));
        assertThat(visible(By.cssSelector("[data-testid=reconciliation-totals]")).getText()).contains("tokens metered");
        lookAt("admin-billing");
    }

    /**
     * The flag of Order 13, its SLOs tightened (at most 1 s p95 over 5 calls): the plan is paused and resumed from the
     * page, then md-1 turns slow for real and the operators' calls, served the flag's "on" variant (allow-listed),
     * breach it. provider-service tags each call, rollout-service's guard rolls the flag back, and the page shows
     * the decision with its evidence; the platform's audit page shows it next to every other admin action.
     */
    @Test
    @Order(15)
    void aPlanIsPausedAndResumedAndABreachRollsItBackWithTheDecisionAndItsEvidenceShown() throws Exception {
        String flag = "/api/v1/flags/provider.weighted-routing";
        Reply tightened = api("PUT", flag, platform.adminApiKey(), """
                {"description":"Weighted random order of a model's deployments","allowList":["%s"],
                 "rules":{"guarded":true,"maxErrorRate":0.05,"maxLatencyRatio":1.5,"maxP95LatencyMs":1000,
                          "maxCostRatio":1.5,"minSamples":5,"windowSeconds":900},
                 "reason":"p95 above 1 s rolls back"}""".formatted(operators));
        assertThat(tightened.status()).as(tightened.body().toString()).isEqualTo(200);
        signInWith(platform.adminApiKey());
        browser.get(platform.gatewayUrl() + "/admin/rollouts/provider.weighted-routing");
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=plan-status]"), "ACTIVE"));

        button("Pause").click();
        answerPrompt("hold at 10 % over the release");
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=plan-status]"), "PAUSED"));
        assertThat(browser.findElements(By.xpath("//button[normalize-space(.)='Advance']"))).isEmpty();
        button("Resume").click();
        answerPrompt("release is out");
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=plan-status]"), "ACTIVE"));

        markdown.answerAfter(Duration.ofMillis(1500));
        try {
            String chat = "{\"model\":\"" + MarkdownModel.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}";
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                api("POST", "/v1/chat/completions", chatKey, chat);
                return api("GET", flag + "/plan", platform.adminApiKey(), null).body().path("status").asString();
            }, "ROLLED_BACK"::equals);
        } finally {
            markdown.answerAfter(Duration.ZERO);
        }

        browser.navigate().refresh();
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=plan-status]"), "ROLLED_BACK"));
        assertThat(visible(By.cssSelector("[data-testid=flag-state]")).getText()).isEqualTo("killed");
        WebElement decision = visible(By.cssSelector("[data-testid=rollback-decision]"));
        assertThat(decision.getText()).contains("Rolled back by rollout-guard",
                "automatic rollback: p95_latency_ms of variant on");
        assertThat(decision.findElement(By.cssSelector("tr[data-verdict=BREACH]")).getText())
                .contains("p95_latency_ms", "on", "1000");
        assertThat(visible(By.cssSelector("[data-testid=audit]")).getText()).contains("rolled back", "plan paused",
                "hold at 10 % over the release", "plan resumed", "release is out");
        browser.executeScript("arguments[0].scrollIntoView()", decision);
        lookAt("admin-rollout-rolled-back");

        // the platform's audit log (analytics-service, fed by audit.v1) has the decision with its evidence
        await().atMost(WAIT).until(() -> api("GET", "/api/v1/admin/audit?action=flag.rolled-back", analystKey, null)
                .body().path("data").size(), n -> n > 0);
        browser.findElement(By.linkText("Audit log")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Audit log"));
        new org.openqa.selenium.support.ui.Select(visible(By.name("service"))).selectByValue("rollout-service");
        button("Search").click();
        // the search re-renders the table the page first showed: read the rows once the filtered ones are there
        assertThat(textOnceItShows(By.cssSelector("tr[data-action='flag.rolled-back']"), "BREACH"))
                .contains("rollout-guard", "rollout-service", "provider.weighted-routing",
                        "automatic rollback: p95_latency_ms", "killed: false → true", "evidence", "BREACH");
        assertThat(textOnceItShows(By.cssSelector("tr[data-action='flag.plan-paused']"), "PAUSED"))
                .contains("hold at 10 % over the release", "ACTIVE → PAUSED");
    }

    /**
     * A customer job parks for real (the Stripe stand-in refuses its call once, which billing takes as a refusal for
     * good): an analyst sees it with Stripe's reason and no Retry button; an operator retries it and sees it done.
     */
    @Test
    @Order(16)
    void anOperatorRetriesAParkedBillingJobThatAnAnalystOnlySees() throws Exception {
        String email = "parked-" + System.nanoTime() + "@example.com";
        stripe.refuseNextCustomer(email);
        String job = "stripe-customer:customer:" + newAccount(email, "Parked Customer");
        await().atMost(WAIT).until(() -> api("GET", "/api/v1/admin/jobs/" + job, platform.adminApiKey(), null).body()
                .path("state").asString(), "parked"::equals);

        signInWith(analystKey);
        browser.findElement(By.linkText("Billing operations")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing operations"));
        assertThat(visible(By.cssSelector("tr[data-job='" + job + "']")).getText()).contains("parked", StripeStandIn.REFUSAL);
        assertThat(browser.findElements(By.xpath("//main//button[normalize-space(.)='Retry']"))).isEmpty();
        assertThat(api("POST", "/api/v1/admin/jobs/" + job + "/retry", analystKey, null).status()).isEqualTo(403);

        signInWith(platform.adminApiKey());
        browser.findElement(By.linkText("Billing operations")).click();
        WebElement parked = visible(By.cssSelector("tr[data-job='" + job + "']"));
        assertThat(parked.getText()).contains("parked", StripeStandIn.REFUSAL);
        assertThat(stripe.customersCreated(email)).isZero();
        browser.executeScript("arguments[0].scrollIntoView()", parked);
        lookAt("admin-billing-parked");

        parked.findElement(By.xpath(".//button[normalize-space(.)='Retry']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main p.status"), job + " is done."));
        assertThat(browser.findElements(By.cssSelector("tr[data-job='" + job + "']"))).isEmpty();
        assertThat(stripe.customersCreated(email)).isEqualTo(1);
        assertThat(api("GET", "/api/v1/admin/jobs/" + job, platform.adminApiKey(), null).status()).isEqualTo(404);
    }

    /**
     * A usage event no consumer can apply (negative tokens) is dead-lettered by usage-service and kept with its reason:
     * an analyst sees it on the Billing operations page without a Retry button; an operator's retry, with a reason,
     * is refused again by the consumer and the page says why (the record stays, one retry counted).
     */
    @Test
    @Order(17)
    void anOperatorSeesADeadLetteredEventWithItsReasonAndARetryTheConsumerStillRefuses() throws Exception {
        String account = "dlt-" + System.nanoTime();
        String requestId = account + "-req";
        String eventId = java.util.UUID.nameUUIDFromBytes(("usage.recorded.v1|" + requestId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        ProducerRecord<String, String> record = new ProducerRecord<>("usage.v1", account, """
                {"requestId":"%s","accountId":"%s","apiKeyId":"k","model":"sim-1","provider":"simulated",\
                "inputTokens":-10,"cachedInputTokens":0,"outputTokens":20,"costMicroUsd":3,"estimated":false,\
                "outcome":"COMPLETED","streamed":false,"latencyMs":5,"timeToFirstTokenMs":null,"occurredAt":"%s"}"""
                .formatted(requestId, account, java.time.Instant.now()));
        Map.of("ce_specversion", "1.0", "ce_id", eventId, "ce_type", "usage.recorded.v1", "ce_source", "chat-service",
                        "ce_time", java.time.Instant.now().toString(), "content-type", "application/json", "ce_subject", account)
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(record).get();
        }
        String list = "/api/v1/admin/dead-letters/usage-service?state=dead&limit=100";
        JsonNode dead = await().atMost(WAIT).until(() -> {
            for (JsonNode d : api("GET", list, analystKey, null).body().path("data")) {
                if (eventId.equals(d.path("eventId").asString())) {
                    return d;
                }
            }
            return null;
        }, d -> d != null);
        String row = "tr[data-dead-letter='usage-service/" + dead.path("id").asLong() + "']";

        signInWith(analystKey);
        browser.findElement(By.linkText("Billing operations")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing operations"));
        WebElement seen = visible(By.cssSelector(row));
        assertThat(seen.getText()).contains("usage.recorded.v1", eventId, "usage-service.", "inputTokens is negative");
        assertThat(seen.findElements(By.tagName("button"))).isEmpty();
        assertThat(api("POST", "/api/v1/admin/dead-letters/usage-service/" + dead.path("id").asLong() + "/retry",
                analystKey, "{}").status()).isEqualTo(403);

        signInWith(platform.adminApiKey());
        browser.findElement(By.linkText("Billing operations")).click();
        WebElement deadRow = visible(By.cssSelector(row));
        browser.executeScript("arguments[0].scrollIntoView()", deadRow);
        lookAt("admin-billing-dead-letters");
        deadRow.findElement(By.xpath(".//button[normalize-space(.)='Retry']")).click();
        answerPrompt("tokens fixed upstream");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("section[aria-labelledby='dead-title'] [role='alert']"), "still cannot apply"));
        assertThat(visible(By.cssSelector(row)).findElement(By.cssSelector("td.num")).getText()).isEqualTo("1");
        assertThat(api("GET", "/api/v1/admin/dead-letters/usage-service/" + dead.path("id").asLong(), analystKey, null)
                .body().path("reason").asString()).contains("inputTokens is negative");
    }

    // ---- billing through Stripe (a stand-in) and sign-in with an OIDC issuer, on the same platform ----

    @Test
    @Order(20)
    void anUpgradeGoesThroughStripeCheckoutAndTheConsoleShowsTheNewPlan() {
        signInWith(platform.demoApiKey());
        browser.get(platform.gatewayUrl() + "/billing");
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing"));
        assertThat(visible(By.cssSelector("[data-testid=current-tier]")).getText()).isEqualTo("free");
        // what each plan costs (Stripe's price objects) and gives (usage-service's tiers)
        WebElement basic = visible(By.cssSelector("article.plan[data-tier=basic]"));
        assertThat(basic.findElement(By.cssSelector(".price")).getText()).isEqualTo("$9.00 / month");
        assertThat(visible(By.cssSelector("article.plan[data-tier=enterprise] .price")).getText()).isEqualTo("$1,200.00 / year");
        assertThat(basic.findElements(By.tagName("li"))).extracting(WebElement::getText)
                .anyMatch(line -> line.endsWith("messages a day"));

        button("Upgrade to basic").click();
        waitFor(ExpectedConditions.urlContains(stripe.url() + "/c/pay/cs_"));
        assertThat(visible(By.id("price")).getText()).isEqualTo("price_basic");
        button("Pay").click();

        waitFor(ExpectedConditions.urlToBe(platform.gatewayUrl() + "/billing/success"));
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Thank you"));
        try {
            // the webhooks' jobs and billing-service's first calls through stripe-java: slow on a loaded machine
            new WebDriverWait(browser, Duration.ofMinutes(3)).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector(".notice[role=status]"), "You are now on the basic plan."));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the upgrade did not show; billing-service says: " + logTail("billing-service",
                    line -> line.contains("\"WARN\"") || line.contains("\"ERROR\"") || line.contains("tripe")), e);
        }
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-testid=current-tier]"), "basic"));
        assertThat(visible(By.cssSelector("[data-testid=tier-badge]")).getText()).isEqualToIgnoringCase("basic plan");
        waitFor(d -> d.findElement(By.tagName("main")).getText().contains("It renews on"));
        lookAt("billing-success");

        // the Portal comes back to /billing, where the invoice Stripe sent is listed as paid
        await().atMost(WAIT).until(() -> api("GET", "/api/v1/billing/invoices", platform.demoApiKey(), null).body()
                .path("data").size() == 1);
        button("Manage billing and payment methods").click();
        waitFor(ExpectedConditions.urlContains(stripe.url() + "/p/session/"));
        visible(By.linkText("Return to chat-platform")).click();
        waitFor(ExpectedConditions.urlToBe(platform.gatewayUrl() + "/billing"));
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing"));
        assertThat(visible(By.cssSelector("[data-testid=current-tier]")).getText()).isEqualTo("basic");
        assertThat(visible(By.cssSelector("article.plan[data-tier=basic]")).getText()).contains("Your current plan");
        WebElement invoice = visible(By.xpath("//section[@aria-labelledby='invoices-title']//tbody/tr"));
        assertThat(invoice.getText()).contains("$9.00").contains("paid");
    }

    @Test
    @Order(21)
    void aPersonSignsUpWithTheOidcIssuerOnFirstLoginAndSignsOut() {
        browser.get(platform.gatewayUrl() + "/chat");
        button("Sign out").click();
        waitFor(ExpectedConditions.urlContains("/signin"));
        assertThat(storage("sessionStorage")).doesNotContain(platform.demoApiKey());

        signInWithIssuer("oidc-person@example.com");
        waitFor(ExpectedConditions.urlToBe(platform.gatewayUrl() + "/chat"));
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "New chat"));
        assertThat(visible(By.cssSelector(".who")).getText()).isEqualTo("oidc-person");
        assertThat(visible(By.cssSelector("[data-testid=tier-badge]")).getText()).isEqualToIgnoringCase("free plan");
        assertThat(browser.executeScript("return JSON.parse(sessionStorage.getItem('console.credential')).kind"))
                .isEqualTo("oidc");
        assertThat(storage("localStorage")).doesNotContain("eyJ"); // no token outside the tab's session
        String account = accountOfTheTab();
        assertThat(account).endsWith(" oidc-person@example.com");

        // signing out forgets the token; the next sign-in finds the account made by the first
        button("Sign out").click();
        waitFor(ExpectedConditions.urlContains("/signin"));
        assertThat(storage("sessionStorage")).doesNotContain("oidc");
        browser.get(platform.gatewayUrl() + "/usage");
        waitFor(ExpectedConditions.urlContains("/signin"));
        signInWithIssuer("oidc-person@example.com");
        waitFor(ExpectedConditions.urlToBe(platform.gatewayUrl() + "/usage"));
        assertThat(accountOfTheTab()).isEqualTo(account);
    }

    // ---- helpers ----

    /** "id email" of the account the tab's credential belongs to, as the API says. */
    private static String accountOfTheTab() {
        return String.valueOf(browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const {token} = JSON.parse(sessionStorage.getItem('console.credential'));
                fetch('/api/v1/accounts/me', {headers: {Authorization: 'Bearer ' + token}})
                  .then(r => r.json()).then(a => done(a.id + ' ' + a.email));"""));
    }

    /** The last lines of a service's log that match, to say why a wait failed. */
    private static String logTail(String service, java.util.function.Predicate<String> matching) {
        try (var lines = Files.lines(data.resolve("logs").resolve(service + ".log"))) {
            List<String> matched = lines.filter(matching).toList();
            return String.join("\n", matched.subList(Math.max(0, matched.size() - 20), matched.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Sign-in page → the issuer's page (authorization code + PKCE) → back at /auth/callback, signed in. */
    private static void signInWithIssuer(String email) {
        button("Sign in with " + URI.create(oidc.issuer()).getAuthority()).click();
        waitFor(ExpectedConditions.urlContains(oidc.issuer() + "/authorize"));
        assertThat(browser.getCurrentUrl()).contains("code_challenge_method=S256").contains("code_challenge=");
        visible(By.name("email")).sendKeys(email);
        button("Continue").click();
    }

    /** axe-core on the page as it is now (no serious or critical violation), then screenshots at both sizes. */
    private static void lookAt(String page) {
        browser.executeScript(axe);
        Object result = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                  .then(r => done(JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))))
                  .catch(e => done(JSON.stringify([{id: 'axe-failed', impact: 'critical', help: String(e)}])));""");
        JsonNode violations = JSON.readTree((String) result);
        List<String> serious = new ArrayList<>();
        for (JsonNode v : violations) {
            String line = v.path("impact").asString() + " " + v.path("id").asString() + ": " + v.path("help").asString()
                    + " at " + v.path("nodes");
            System.out.println("axe on " + page + ": " + line);
            if (Set.of("serious", "critical").contains(v.path("impact").asString())) {
                serious.add(line);
            }
        }
        assertThat(serious).as("serious or critical accessibility violations on " + page).isEmpty();
        try {
            for (var size : List.of(Map.entry("desktop", DESKTOP), Map.entry("phone", PHONE))) {
                browser.manage().window().setSize(size.getValue());
                Files.write(screenshots.resolve(page + "-" + size.getKey() + ".png"),
                        browser.getScreenshotAs(OutputType.BYTES));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            browser.manage().window().setSize(DESKTOP);
        }
    }

    /**
     * How fast the chat page became interactive and painted tokens, as the page measured it (printed, not asserted):
     * the tokens of the answer just streamed, then a fresh load of {@code /chat} and of the conversation (a person
     * opening the console again, signed in in this tab), each timed from its navigation's start to the page's
     * {@code chat-interactive} mark, with the requests of the {@code /chat} load (start, end, size or "cache").
     * Leaves the browser on the conversation.
     */
    private static void printFigures() {
        Object tokens = browser.executeScript("""
                const frames = performance.getEntriesByName('token-to-frame').map(m => m.duration).sort((a, b) => a - b);
                return `"tokenToFrameMedianMs": ${frames[Math.floor(frames.length / 2)]}, "tokenToFrameMaxMs": ${frames.at(-1)}, `
                  + `"frames": ${frames.length}`;""");
        long newChat = interactiveMs("/chat");
        Object waterfall = browser.executeScript("""
                return performance.getEntriesByType('resource').map(r => `  ${Math.round(r.startTime)}-${Math.round(r.responseEnd)} ms`
                  + ` ${r.transferSize === 0 ? 'cache' : (r.transferSize / 1024).toFixed(1) + ' kB'} ${r.name.replace(location.origin, '')}`)
                  .join('\\n');""");
        long conversation = interactiveMs(conversationPath);
        System.out.println("console figures: {\"interactiveMs\": " + newChat + ", \"conversationInteractiveMs\": "
                + conversation + ", " + tokens + "}");
        System.out.println("console /chat load, each request from its start to its last byte:\n" + waterfall);
    }

    private static long interactiveMs(String path) {
        browser.get(platform.gatewayUrl() + path);
        waitFor(d -> browser.executeScript("return performance.getEntriesByName('chat-interactive').length > 0"));
        return ((Number) browser.executeScript(
                "return Math.round(performance.getEntriesByName('chat-interactive')[0].startTime)")).longValue();
    }

    private static ChromeDriver chromium() {
        String chromium = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
        String driver = System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        assertThat(Path.of(chromium)).as("apt-get install -y chromium (or set CHROMIUM_BIN)").isRegularFile();
        assertThat(Path.of(driver)).as("apt-get install -y chromium-driver (or set CHROMEDRIVER_BIN)").isRegularFile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().window().setSize(DESKTOP);
        return chrome;
    }

    private static <T> T waitFor(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).until(condition);
    }

    private static WebElement visible(By by) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** The text of the element {@code by} finds once it contains {@code marker}, found again if the page re-rendered it. */
    private static String textOnceItShows(By by, String marker) {
        return new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(by).stream().map(WebElement::getText).filter(t -> t.contains(marker))
                        .findFirst().orElse(null));
    }

    /**
     * After the Checkout above: the events Stripe sent are listed as applied, one of a type billing needs nothing
     * from as ignored, and the list filters by outcome and type.
     */
    @Test
    @Order(23)
    void anOperatorSeesTheStripeWebhookEventsReceivedWithTheirOutcome() throws Exception {
        stripe.deliver("customer.created", JSON.createObjectNode().put("id", "cus_console_webhooks").put("object", "customer"));
        await().atMost(WAIT).until(() -> api("GET", "/api/v1/admin/billing/webhook-events?type=customer.created&outcome=ignored",
                analystKey, null).body().path("data").size(), n -> n == 1);

        signInWith(platform.adminApiKey());
        browser.findElement(By.linkText("Billing operations")).click();
        waitFor(ExpectedConditions.textToBe(By.tagName("h1"), "Billing operations"));
        WebElement events = visible(By.cssSelector("section[aria-labelledby=events-title]"));
        waitFor(d -> events.findElements(By.cssSelector("tbody tr")).size() >= 4);
        assertThat(events.findElements(By.cssSelector("tbody tr")).getFirst().getText()).contains("customer.created", "ignored");
        assertThat(events.findElements(By.cssSelector("tbody tr[data-outcome=applied] th"))).extracting(WebElement::getText)
                .anyMatch(t -> t.startsWith("checkout.session.completed")).anyMatch(t -> t.startsWith("invoice.paid"));
        browser.executeScript("arguments[0].scrollIntoView()", events);
        lookAt("admin-billing-webhooks");

        new Select(events.findElement(By.name("event-outcome"))).selectByValue("applied");
        events.findElement(By.name("event-type")).sendKeys("invoice.paid");
        events.findElement(By.xpath(".//button[normalize-space(.)='Filter']")).click();
        waitFor(d -> events.findElements(By.cssSelector("tbody tr")).size() == 1);
        assertThat(events.findElement(By.cssSelector("tbody tr")).getText()).contains("invoice.paid", "applied");
    }

    private static WebElement button(String text) {
        return waitFor(ExpectedConditions.elementToBeClickable(
                By.xpath("//button[normalize-space(.)='" + text + "']")));
    }

    private static void answerPrompt(String reason) {
        org.openqa.selenium.Alert prompt = waitFor(ExpectedConditions.alertIsPresent());
        prompt.sendKeys(reason);
        prompt.accept();
    }

    /** Signs out (this tab's session) and in again with {@code key}, landing on the admin part. */
    private static void signInWith(String key) {
        browser.executeScript("sessionStorage.clear()");
        browser.get(platform.gatewayUrl() + "/signin?next=/admin");
        visible(By.name("api-key")).sendKeys(key);
        button("Sign in").click();
        waitFor(ExpectedConditions.not(ExpectedConditions.urlContains("/signin")));
        visible(By.tagName("h1"));
    }

    private static String newAccount(String email, String name) throws Exception {
        Reply account = api("POST", "/api/v1/admin/accounts", platform.adminApiKey(),
                "{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}");
        assertThat(account.status()).as(account.body().toString()).isEqualTo(201);
        return account.body().path("id").asString();
    }

    /** A new key of {@code account}, once the gateway knows it. */
    private static String newKey(String account, String name, String scope) throws Exception {
        Reply key = api("POST", "/api/v1/admin/accounts/" + account + "/api-keys", platform.adminApiKey(),
                "{\"name\":\"" + name + "\",\"scopes\":[\"" + scope + "\"]}");
        assertThat(key.status()).as(key.body().toString()).isEqualTo(201);
        String secret = key.body().path("key").asString();
        await().atMost(WAIT).until(() -> api("GET", "/api/v1/accounts/me/identity", secret, null).status(), s -> s == 200);
        return secret;
    }

    private static WebElement lastAnswer() {
        List<WebElement> answers = browser.findElements(By.cssSelector(".message.assistant"));
        return answers.getLast();
    }

    private static String storage(String area) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript("return JSON.stringify(" + area + ")"));
    }

    private static JsonNode line(JsonNode usage, String model) {
        for (JsonNode line : usage.path("byModel")) {
            if (model.equals(line.path("model").asString())) {
                return line;
            }
        }
        return null;
    }

    /**
     * md-1 comes in without a price (a model is never served at $0 by accident): add one, as an operator would,
     * through the gateway's route to provider-service's admin API.
     */
    private static void priceTheMarkdownModel() throws Exception {
        Reply priced = api("POST", "/api/v1/admin/models/" + MarkdownModel.MODEL + "/prices", platform.adminApiKey(), """
                {"inputMicroUsdPerMtok":1000000,"outputMicroUsdPerMtok":2000000,"cachedInputMicroUsdPerMtok":500000}""");
        assertThat(priced.status()).as(priced.body().toString()).isEqualTo(201);
        await().atMost(WAIT).until(() -> api("GET", "/v1/models", platform.demoApiKey(), null).body().path("data")
                .findValuesAsString("id").contains(MarkdownModel.MODEL));
    }

    private record Reply(int status, JsonNode body) {
    }

    private static Reply api(String method, String path, String key, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body()));
    }
}

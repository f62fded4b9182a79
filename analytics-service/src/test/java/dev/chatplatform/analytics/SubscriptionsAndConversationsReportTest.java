package dev.chatplatform.analytics;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.InvoiceChanged;
import dev.chatplatform.contracts.chat.ConversationChanged;
import dev.chatplatform.contracts.chat.ConversationChanged.Action;
import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.chatplatform.analytics.AnalyticsTestEvents.message;
import static dev.chatplatform.analytics.AnalyticsTestEvents.send;
import static dev.chatplatform.analytics.AnalyticsTestEvents.subscription;
import static dev.chatplatform.analytics.AnalyticsTestEvents.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * subscriptions.v1 into MRR, churn and subscriptions per tier; billing.v1 into invoiced revenue; free-to-paid
 * conversions from both accounts.v1 and subscriptions.v1; conversations.v1 into conversation and message counts.
 * The subscription reports look at every account's state at an instant, so these tests use their own years
 * (2001) where no other test writes subscriptions.
 */
@PlatformIntegrationTest
class SubscriptionsAndConversationsReportTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void mrrIsTheSumOfPayingAccountsAtTheEndOfEachPeriodPerCurrencyWhateverOrderTheVersionsArriveIn() {
        String a = "acc-a-" + UUID.randomUUID(), b = "acc-b-" + UUID.randomUUID();
        String c = "acc-c-" + UUID.randomUUID(), d = "acc-d-" + UUID.randomUUID();
        send(subscription(a, 1, "pro", "active", 2000L, "usd", Instant.parse("2001-01-05T10:00:00Z")));
        send(subscription(a, 3, "free", "canceled", null, null, Instant.parse("2001-02-10T10:00:00Z"))); // arrives early
        send(subscription(a, 2, "pro", "past_due", 2000L, "usd", Instant.parse("2001-01-20T10:00:00Z")));
        send(subscription(a, 1, "pro", "active", 2000L, "usd", Instant.parse("2001-01-05T10:00:00Z"))); // redelivered
        send(subscription(b, 1, "basic", "trialing", 1000L, "usd", Instant.parse("2001-01-10T10:00:00Z")));
        send(subscription(b, 2, "free", "canceled", null, null, Instant.parse("2001-02-03T10:00:00Z")));
        send(subscription(b, 3, "basic", "active", 1000L, "usd", Instant.parse("2001-02-20T10:00:00Z")));
        send(subscription(c, 1, "pro", "active", 5000L, "eur", Instant.parse("2001-01-15T10:00:00Z")));
        send(subscription(d, 1, "pro", "active", null, null, Instant.parse("2001-01-02T10:00:00Z"))); // local: no price

        String mrr = "/api/v1/analytics/mrr?from=2001-01-01&to=2001-02-28&granularity=month";
        JsonNode monthly = await().atMost(Duration.ofSeconds(20)).until(() -> api().get(mrr),
                r -> r.get("rows").toString().contains("{\"period\":\"2001-02\",\"currency\":\"usd\",\"mrrMinor\":1000,"));
        assertThat(monthly.get("rows").toString()).isEqualTo("["
                + "{\"period\":\"2001-01\",\"currency\":\"eur\",\"mrrMinor\":5000,\"mrr\":\"50.00\",\"payingAccounts\":1,\"unpricedAccounts\":0},"
                + "{\"period\":\"2001-01\",\"currency\":\"usd\",\"mrrMinor\":3000,\"mrr\":\"30.00\",\"payingAccounts\":2,\"unpricedAccounts\":0},"
                + "{\"period\":\"2001-01\",\"currency\":null,\"mrrMinor\":null,\"mrr\":null,\"payingAccounts\":1,\"unpricedAccounts\":1},"
                + "{\"period\":\"2001-02\",\"currency\":\"eur\",\"mrrMinor\":5000,\"mrr\":\"50.00\",\"payingAccounts\":1,\"unpricedAccounts\":0},"
                + "{\"period\":\"2001-02\",\"currency\":\"usd\",\"mrrMinor\":1000,\"mrr\":\"10.00\",\"payingAccounts\":1,\"unpricedAccounts\":0},"
                + "{\"period\":\"2001-02\",\"currency\":null,\"mrrMinor\":null,\"mrr\":null,\"payingAccounts\":1,\"unpricedAccounts\":1}]");
        JsonNode daily = api().get("/api/v1/analytics/mrr?from=2001-01-04&to=2001-01-05&granularity=day");
        assertThat(daily.get("rows").findValuesAsString("period")).containsExactly("2001-01-04", "2001-01-05", "2001-01-05");
        assertThat(daily.get("rows").get(1).get("mrrMinor").asLong()).as("a's first version counts from its day").isEqualTo(2000);

        JsonNode churn = api().get("/api/v1/analytics/churn?from=2001-02-01&to=2001-02-28&granularity=month");
        assertThat(churn.get("rows").toString())
                .as("a stopped paying; b canceled and subscribed again within the month: both churned")
                .isEqualTo("["
                + "{\"period\":\"2001-02\",\"currency\":\"eur\",\"payingAtStart\":1,\"churned\":0,\"churnRate\":0.0,\"churnedMrrMinor\":0,\"churnedMrr\":\"0.00\"},"
                + "{\"period\":\"2001-02\",\"currency\":\"usd\",\"payingAtStart\":2,\"churned\":2,\"churnRate\":1.0,\"churnedMrrMinor\":3000,\"churnedMrr\":\"30.00\"},"
                + "{\"period\":\"2001-02\",\"currency\":null,\"payingAtStart\":1,\"churned\":0,\"churnRate\":0.0,\"churnedMrrMinor\":0,\"churnedMrr\":\"0.00\"}]");

        JsonNode tiers = api().get("/api/v1/analytics/subscriptions?from=2001-01-01&to=2001-02-28&granularity=month");
        assertThat(tiers.get("rows").toString()).isEqualTo("["
                + "{\"period\":\"2001-01\",\"tier\":\"basic\",\"status\":\"trialing\",\"accounts\":1},"
                + "{\"period\":\"2001-01\",\"tier\":\"pro\",\"status\":\"active\",\"accounts\":2},"
                + "{\"period\":\"2001-01\",\"tier\":\"pro\",\"status\":\"past_due\",\"accounts\":1},"
                + "{\"period\":\"2001-02\",\"tier\":\"basic\",\"status\":\"active\",\"accounts\":1},"
                + "{\"period\":\"2001-02\",\"tier\":\"free\",\"status\":\"canceled\",\"accounts\":1},"
                + "{\"period\":\"2001-02\",\"tier\":\"pro\",\"status\":\"active\",\"accounts\":2}]");
    }

    @Test
    void paidInvoicesAreInvoicedRevenueOncePerInvoiceNextToTheMeteredUsageCharges() {
        String account = "acc-" + UUID.randomUUID();
        String invoice = "in_" + UUID.randomUUID();
        Instant paid = Instant.parse("2001-03-05T10:00:00Z");
        send(new InvoiceChanged(account, invoice, "paid", "usd", 2000, 2000, 1, null, paid), "evt_" + invoice + "_1");
        send(new InvoiceChanged(account, invoice, "paid", "usd", 2000, 2000, 1, null, paid), "evt_" + invoice + "_2");
        send(new InvoiceChanged(account, "in_failed_" + invoice, "payment_failed", "usd", 3000, 0, 1, null, paid),
                "evt_" + invoice + "_3");
        send(new InvoiceChanged(account, "in_eur_" + invoice, "paid", "eur", 1500, 1500, 1, null,
                Instant.parse("2001-03-20T10:00:00Z")), "evt_" + invoice + "_4");
        send(new InvoiceChanged(account, "in_jpy_" + invoice, "paid", "jpy", 500, 500, 1, null,
                Instant.parse("2001-03-21T10:00:00Z")), "evt_" + invoice + "_5");
        send(usage(account, "sim-1", "simulated", 1, 1, 250_000, Outcome.COMPLETED, 10, null, paid));

        String uri = "/api/v1/analytics/revenue?from=2001-03-01&to=2001-03-31&granularity=month";
        JsonNode revenue = await().atMost(Duration.ofSeconds(20)).until(() -> api().get(uri),
                r -> r.get("rows").size() == 3 && r.get("rows").get(2).get("usageChargesMicroUsd").asLong() == 250_000);
        assertThat(revenue.get("rows").toString()).isEqualTo("["
                + "{\"period\":\"2001-03\",\"currency\":\"eur\",\"invoicedMinor\":1500,\"invoiced\":\"15.00\",\"paidInvoices\":1,\"usageChargesMicroUsd\":0,\"usageChargesUsd\":\"0.000000\",\"chargedAccounts\":0},"
                + "{\"period\":\"2001-03\",\"currency\":\"jpy\",\"invoicedMinor\":500,\"invoiced\":\"500\",\"paidInvoices\":1,\"usageChargesMicroUsd\":0,\"usageChargesUsd\":\"0.000000\",\"chargedAccounts\":0},"
                + "{\"period\":\"2001-03\",\"currency\":\"usd\",\"invoicedMinor\":2000,\"invoiced\":\"20.00\",\"paidInvoices\":1,\"usageChargesMicroUsd\":250000,\"usageChargesUsd\":\"0.250000\",\"chargedAccounts\":1}]");
    }

    @Test
    void freeToPaidConversionsComeFromSubscriptionsAndAccountsAndAreCountedOnceWhenBothSayIt() {
        String e = "acc-e-" + UUID.randomUUID(), f = "acc-f-" + UUID.randomUUID();
        String g = "acc-g-" + UUID.randomUUID(), h = "acc-h-" + UUID.randomUUID();
        // e subscribes (no account event seen): a conversion from the free tier every subscription starts on
        send(subscription(e, 1, "pro", "active", 2000L, "usd", Instant.parse("2001-04-02T10:00:00Z")));
        // f: billing-service moves the account's tier with the subscription: both topics say it, counted once
        send(new AccountChanged(f, f + "@example.com", "F", "free", "active", 1, Instant.parse("2001-04-01T10:00:00Z")));
        send(new AccountChanged(f, f + "@example.com", "F", "pro", "active", 2, Instant.parse("2001-04-03T10:00:00Z")));
        send(subscription(f, 1, "pro", "active", 2000L, "usd", Instant.parse("2001-04-03T10:00:00Z")));
        // g: version 2 follows a free version 1
        send(subscription(g, 2, "basic", "active", 1000L, "usd", Instant.parse("2001-04-05T10:00:00Z")));
        send(subscription(g, 1, "free", "none", null, null, Instant.parse("2001-04-04T10:00:00Z")));
        // h: only version 2 is known (compacted away): what came before is unknown, no conversion
        send(subscription(h, 2, "pro", "active", 2000L, "usd", Instant.parse("2001-04-06T10:00:00Z")));

        String uri = "/api/v1/analytics/conversions?from=2001-04-01&to=2001-04-30";
        JsonNode conversions = await().atMost(Duration.ofSeconds(20)).until(() -> api().get(uri),
                r -> r.get("rows").size() == 3);
        assertThat(conversions.get("rows").toString()).isEqualTo("["
                + "{\"period\":\"2001-04-02\",\"fromTier\":\"free\",\"toTier\":\"pro\",\"conversions\":1},"
                + "{\"period\":\"2001-04-03\",\"fromTier\":\"free\",\"toTier\":\"pro\",\"conversions\":1},"
                + "{\"period\":\"2001-04-05\",\"fromTier\":\"free\",\"toTier\":\"basic\",\"conversions\":1}]");
    }

    @Test
    void conversationsAndMessagesAreCountedPerDayAccountModelRoleAndStatus() {
        String account = "acc-" + UUID.randomUUID();
        Instant t = Instant.parse("2001-05-01T10:00:00Z");
        send(new ConversationChanged("conv_1" + account, account, Action.CREATED, List.of(), "sim-1", t));
        send(new ConversationChanged("conv_2" + account, account, Action.CREATED, List.of(), "sim-1-mini", t));
        send(new ConversationChanged("conv_1" + account, account, Action.UPDATED, List.of("title"), "sim-1", t.plusSeconds(5)));
        send(new ConversationChanged("conv_2" + account, account, Action.DELETED, List.of(), "sim-1-mini", t.plusSeconds(9)));
        send(message(account, "conv_1" + account, "user", "completed", "sim-1", 5, 0, t));
        send(message(account, "conv_1" + account, "assistant", "completed", "sim-1", 100, 40, t));
        send(message(account, "conv_1" + account, "user", "completed", "sim-1", 3, 0, t));
        send(message(account, "conv_1" + account, "assistant", "stopped", "sim-1", 120, 7, t));
        send(message(account, "conv_2" + account, "assistant", "failed", "sim-1-mini", 50, 0, t.plusSeconds(86_400)));

        String uri = "/api/v1/analytics/conversations?from=2001-05-01&to=2001-05-31&granularity=month&groupBy=model&accountId="
                + account;
        JsonNode report = await().atMost(Duration.ofSeconds(20)).until(() -> api().get(uri),
                r -> r.get("rows").size() == 2 && r.get("rows").get(0).get("messages").asLong() == 4
                        && r.get("rows").get(1).get("messages").asLong() == 1
                        && r.get("rows").get(1).get("conversationsDeleted").asLong() == 1);
        assertThat(report.get("rows").toString()).isEqualTo("["
                + "{\"period\":\"2001-05\",\"model\":\"sim-1\",\"conversationsCreated\":1,\"conversationsUpdated\":1,\"conversationsDeleted\":0,\"messages\":4,\"userMessages\":2,\"answers\":2,\"answersCompleted\":1,\"answersStopped\":1,\"answersFailed\":0,\"userMessageTokens\":8,\"answerOutputTokens\":47},"
                + "{\"period\":\"2001-05\",\"model\":\"sim-1-mini\",\"conversationsCreated\":1,\"conversationsUpdated\":0,\"conversationsDeleted\":1,\"messages\":1,\"userMessages\":0,\"answers\":1,\"answersCompleted\":0,\"answersStopped\":0,\"answersFailed\":1,\"userMessageTokens\":0,\"answerOutputTokens\":0}]");
        JsonNode daily = api().get(uri.replace("granularity=month", "granularity=day").replace("&groupBy=model", ""));
        assertThat(daily.get("rows").findValuesAsString("period")).containsExactly("2001-05-01", "2001-05-02");
    }

    private AnalyticsApi api() {
        return new AnalyticsApi(port, json);
    }
}

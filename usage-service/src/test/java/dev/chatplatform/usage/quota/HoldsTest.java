package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.TestIdentities;
import dev.chatplatform.usage.UsageIntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HoldsTest extends UsageIntegrationTest {

    private static final long PRICE = 1_000_000;   // 1 micro-USD per token, in and out

    @Test
    void aHoldReservesTheWorstCaseAndClampsMaxTokensToWhatTheMonthlyTokensLeave() {
        String account = newAccount();
        subscribe(account, newTier(100, 1_000, 1_000_000, List.of("*")), 1);

        Response first = hold(account, "req-1", "sim-1", 100, 2_000L, PRICE, PRICE);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().get("holdId").asString()).startsWith("hold_");
        assertThat(first.body().get("grantedMaxTokens").asLong()).isEqualTo(900);
        assertThat(first.body().get("heldTokens").asLong()).isEqualTo(1_000);
        assertThat(first.body().get("heldCostMicroUsd").asLong()).isEqualTo(1_000);
        assertThat(first.body().get("status").asString()).isEqualTo("held");
        assertThat(first.body().get("expiresAt").asString()).isNotBlank();
        JsonNode tokens = limit(account, "tokens_per_month");
        assertThat(tokens.get("held").asLong()).isEqualTo(1_000);
        assertThat(tokens.get("remaining").asLong()).isZero();
        assertThat(me(account).at("/quota/status").asString()).isEqualTo("exhausted");

        Response second = hold(account, "req-2", "sim-1", 1, 10L, PRICE, PRICE);
        assertRefused(second, "monthly_tokens_exceeded");
    }

    @Test
    void theMonthlyBudgetClampsByTheOutputPriceAndRefusesWhenNotEvenAMinimalAnswerFits() {
        String account = newAccount();
        // 1,000 micro-USD a month; prompt 100 tokens at 2 micro-USD, output at 3 micro-USD per token
        subscribe(account, newTier(100, 1_000_000, 1_000, List.of("*")), 1);

        Response first = hold(account, "req-1", "sim-1", 100, 1_000L, 2 * PRICE, 3 * PRICE);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().get("grantedMaxTokens").asLong()).isEqualTo(266);   // (1000 - 200) / 3
        assertThat(first.body().get("heldCostMicroUsd").asLong()).isEqualTo(998);

        assertRefused(hold(account, "req-2", "sim-1", 0, 100L, 2 * PRICE, 3 * PRICE), "monthly_budget_exceeded");
    }

    @Test
    void messagesPerDayAndModelsOfTheTierAreEnforced() {
        String account = newAccount();
        subscribe(account, newTier(2, 1_000_000, 1_000_000, List.of("sim-1-mini")), 1);

        assertRefused(hold(account, "req-0", "sim-1", 10, 10L, 0, 0), "model_not_allowed_for_tier");
        assertThat(hold(account, "req-1", "sim-1-mini", 10, 10L, 0, 0).status()).isEqualTo(201);
        assertThat(hold(account, "req-2", "sim-1-mini", 10, 10L, 0, 0).status()).isEqualTo(201);
        assertRefused(hold(account, "req-3", "sim-1-mini", 10, 10L, 0, 0), "messages_per_day_exceeded");
        assertThat(limit(account, "messages_per_day").get("held").asLong()).isEqualTo(2);
    }

    @Test
    void anAccountNobodyToldUsAboutIsOnTheFreeTier() {
        String account = newAccount();
        assertRefused(hold(account, "req-1", "gpt-4o", 10, 10L, 0, 0), "model_not_allowed_for_tier");
        Response ok = hold(account, "req-2", "sim-1", 10, null, 500_000, 1_500_000);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.body().get("grantedMaxTokens").asLong()).isEqualTo(4_096);   // usage.holds.default-max-tokens
        assertThat(ok.body().get("tier").asString()).as("the tier chat-service decides fail-open by").isEqualTo("free");
        assertThat(me(account).at("/quota/tier").asString()).isEqualTo("free");
    }

    @Test
    void theSameRequestIdGetsTheSameHoldOnce() {
        String account = newAccount();
        Response first = hold(account, "req-1", "sim-1", 10, 100L, PRICE, PRICE);
        Response again = hold(account, "req-1", "sim-1", 10, 100L, PRICE, PRICE);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("holdId").asString()).isEqualTo(first.body().get("holdId").asString());
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isEqualTo(110);
    }

    @Test
    void aReleasedHoldGivesItsReservationBackAndOnlyItsOwnerMayReleaseIt() {
        String account = newAccount();
        String holdId = hold(account, "req-1", "sim-1", 10, 100L, PRICE, PRICE).body().get("holdId").asString();

        assertThat(send("DELETE", TestIdentities.chatCaller(newAccount()), "/api/v1/holds/" + holdId, null).status())
                .isEqualTo(404);
        assertThat(send("DELETE", TestIdentities.chatCaller(account), "/api/v1/holds/" + holdId, null).status())
                .isEqualTo(204);
        assertThat(send("DELETE", TestIdentities.chatCaller(account), "/api/v1/holds/" + holdId, null).status())
                .isEqualTo(204);
        assertThat(send("DELETE", TestIdentities.chatCaller(account), "/api/v1/holds/hold_nope", null).status())
                .isEqualTo(404);

        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isZero();
        assertThat(limit(account, "messages_per_day").get("held").asLong()).isZero();
        assertThat(limit(account, "cost_micro_usd_per_month").get("held").asLong()).isZero();
        assertThat(get(TestIdentities.chatCaller(account), "/api/v1/holds/" + holdId).body().get("status").asString())
                .isEqualTo("released");
    }

    @Test
    void aHoldNeverSettledExpiresAndIsReleasedByTheSweep() {
        String account = newAccount();
        String holdId = hold(account, "req-1", "sim-1", 10, 100L, PRICE, PRICE).body().get("holdId").asString();
        jdbc.sql("update holds set expires_at = now() - interval '1 second' where id = :id").param("id", holdId).update();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                get(TestIdentities.chatCaller(account), "/api/v1/holds/" + holdId).body().get("status").asString())
                .isEqualTo("expired"));
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isZero();
        assertThat(limit(account, "messages_per_day").get("used").asLong()).isZero();
    }

    @Test
    void theUsageEventSettlesTheHoldWithTheRealNumbersOnce() {
        String account = newAccount();
        hold(account, account + "-req-1", "sim-1", 100, 900L, PRICE, PRICE);
        var usage = usage(account, account + "-req-1", "sim-1", 100, 42, 142);
        send(usage);
        send(usage);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(limit(account, "tokens_per_month").get("used").asLong()).isEqualTo(142));
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isZero();
        assertThat(limit(account, "cost_micro_usd_per_month").get("used").asLong()).isEqualTo(142);
        assertThat(limit(account, "cost_micro_usd_per_month").get("held").asLong()).isZero();
        assertThat(limit(account, "messages_per_day").get("used").asLong()).isEqualTo(1);
        assertThat(limit(account, "messages_per_day").get("held").asLong()).isZero();

        // quota.v1 carries the latest state, keyed by account
        // (published at most every usage.quota.publish-interval, after the settlement committed)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> states = KafkaProbe.readAll(Topics.QUOTA, r -> account.equals(r.key()),
                    Duration.ofSeconds(1));
            JsonNode last = json.readTree(states.getLast().value());
            assertThat(last.get("accountId").asString()).isEqualTo(account);
            assertThat(last.get("tier").asString()).isEqualTo("free");
            assertThat(last.get("requestsPerMinute").asLong()).isEqualTo(10);
            assertThat(last.get("limits").get(1).get("name").asString()).isEqualTo("tokens_per_month");
            assertThat(last.get("limits").get(1).get("used").asLong()).isEqualTo(142);
            assertThat(last.get("limits").get(1).get("remaining").asLong()).isEqualTo(100_000 - 142);
        });
    }

    @Test
    void badHoldRequestsAre400sNamingTheParameter() {
        String account = newAccount();
        Response missing = send("POST", TestIdentities.chatCaller(account), "/api/v1/holds",
                Map.of("requestId", "r", "model", "sim-1", "inputPriceMicroUsdPerMillion", 1, "outputPriceMicroUsdPerMillion", 1));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().at("/error/param").asString()).isEqualTo("promptTokens");
        Response negative = hold(account, "r", "sim-1", -1, 10L, 1, 1);
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().at("/error/param").asString()).isEqualTo("promptTokens");
        Response zeroMax = hold(account, UUID.randomUUID().toString(), "sim-1", 1, 0L, 1, 1);
        assertThat(zeroMax.body().at("/error/param").asString()).isEqualTo("maxTokens");
    }

    private static void assertRefused(Response response, String code) {
        assertThat(response.status()).as("status of %s", response.body()).isEqualTo(429);
        assertThat(response.body().at("/error/code").asString()).isEqualTo(code);
        assertThat(response.body().at("/error/type").asString()).isEqualTo("insufficient_quota");
        assertThat(response.body().at("/error/message").asString()).isNotBlank();
    }
}

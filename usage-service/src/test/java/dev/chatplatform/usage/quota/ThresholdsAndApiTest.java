package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.TopicDefinition;
import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.TestIdentities;
import dev.chatplatform.usage.UsageIntegrationTest;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ThresholdsAndApiTest extends UsageIntegrationTest {

    @Test
    void eachThresholdIsPublishedAndMailedOncePerPeriodEvenWhenEventsAreReplayed() {
        String account = newAccount();
        String email = account + "@example.com";
        String tier = newTier(1_000, 1_000, 1_000_000, List.of("*"));
        accountChanged(account, email, tier, 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(me(account).at("/quota/tier").asString()).isEqualTo(tier));

        List<UsageRecorded> events = List.of(usage(account, account + "-r1", "sim-1", 400, 400, 1),   // 80 %
                usage(account, account + "-r2", "sim-1", 50, 50, 1),                                   // 90 %
                usage(account, account + "-r3", "sim-1", 100, 100, 1));                                // 110 %
        events.forEach(this::send);
        events.forEach(this::send);                                                         // replayed
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(3));

        List<ConsumerRecord<String, String>> crossed = KafkaProbe.readAll(Topics.QUOTA_THRESHOLDS,
                r -> account.equals(r.key()), Duration.ofSeconds(3));
        assertThat(crossed).hasSize(3);
        assertThat(crossed.stream().map(r -> json.readTree(r.value()))
                .map(n -> n.get("limit").asString() + "@" + n.get("threshold").asInt()).toList())
                .containsExactly("tokens_per_month@80", "tokens_per_month@90", "tokens_per_month@100");
        assertThat(me(account).at("/quota/status").asString()).isEqualTo("exhausted");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(mailsTo(email)).hasSize(3));
        assertThat(mailsTo(email).stream().map(this::subject).toList())
                .contains("Usage limit reached: tokens per month", "You have used 80 % of your tokens per month");
        assertThat(jdbc.sql("select count(*) from threshold_crossings where account_id = :a and notified_via = 'smtp'")
                .param("a", account).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void aRecordThatCannotBeAppliedGoesToTheDeadLetterTopicWithItsReasonAndTheConsumerKeepsGoing() {
        String account = newAccount();
        UsageRecorded negative = usage(account, account + "-bad", "sim-1", -5, 10, 10);
        KafkaProbe.send(record(Topics.USAGE, eventId(negative), UsageRecorded.TYPE.name(), account,
                json.writeValueAsString(negative)));
        KafkaProbe.send(record(Topics.USAGE, "x-" + account, UsageRecorded.TYPE.name(), account, "{not json"));
        send(usage(account, account + "-good", "sim-1", 1, 1, 1));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(1));
        List<ConsumerRecord<String, String>> dead = KafkaProbe.readAll(TopicDefinition.deadLetterTopicOf(Topics.USAGE), r -> account.equals(r.key()),
                Duration.ofSeconds(2));
        assertThat(dead).hasSize(2);
        assertThat(reason(dead.get(0))).contains("inputTokens is negative");
        assertThat(reason(dead.get(1))).contains("value does not match usage.recorded.v1");
        assertThat(dead.get(0).value()).isEqualTo(json.writeValueAsString(negative));
    }

    @Test
    void aSubscriptionRecordNotWrittenByBillingServiceIsDeadLetteredAndChangesNothing() {
        String account = newAccount();
        subscribe(account, "basic", 1);
        SubscriptionChanged forged = new SubscriptionChanged(account, "enterprise", "active", "local", null, false,
                null, null, 2, java.time.Instant.now());
        ProducerRecord<String, String> record = record(SubscriptionChanged.TYPE.topic(),
                EventIds.of(SubscriptionChanged.TYPE, account + ":2"), SubscriptionChanged.TYPE.name(), account,
                json.writeValueAsString(forged));
        record.headers().remove(CloudEventHeaders.SOURCE);
        record.headers().add(CloudEventHeaders.SOURCE, "attacker".getBytes(StandardCharsets.UTF_8));
        KafkaProbe.send(record);

        List<ConsumerRecord<String, String>> dead = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            dead.clear();
            dead.addAll(KafkaProbe.readAll(TopicDefinition.deadLetterTopicOf(SubscriptionChanged.TYPE.topic()),
                    r -> account.equals(r.key()), Duration.ofMillis(300)));
            return !dead.isEmpty();
        });
        assertThat(reason(dead.getFirst())).contains("ce_source 'attacker' is not a producer of subscriptions.v1");
        assertThat(new String(dead.getFirst().headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8))
                .isEqualTo(EventIds.of(SubscriptionChanged.TYPE, account + ":2"));
        assertThat(me(account).at("/quota/tier").asString()).isEqualTo("basic");
    }

    @Test
    void aSubscriptionSetsTheTierAtOnceAndWinsOverTheAccountsTier() {
        String account = newAccount();
        accountChanged(account, "x@example.com", "basic", 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(me(account).at("/quota/tier").asString()).isEqualTo("basic"));
        subscribe(account, "pro", 1);
        accountChanged(account, "x@example.com", "basic", 2);
        subscribe(account, "enterprise", 2);
        subscribe(account, "enterprise", 1);   // older: ignored
        JsonNode quota = me(account).get("quota");
        assertThat(quota.get("tier").asString()).isEqualTo("enterprise");
        assertThat(quota.get("requestsPerMinute").asLong()).isEqualTo(3000);
        assertThat(quota.get("limits").get(0).get("max").asLong()).isEqualTo(100_000);
    }

    @Test
    void adminsChangeTiersAtRuntimeAndOthersMayNot() {
        String tier = newTier(5, 100, 100, List.of("sim-1"));
        String account = newAccount();
        subscribe(account, tier, 1);
        assertThat(limit(account, "messages_per_day").get("max").asLong()).isEqualTo(5);

        Map<String, Object> raised = Map.of("messagesPerDay", 7, "tokensPerMonth", 100, "costMicroUsdPerMonth", 100,
                "requestsPerMinute", 1, "tokensPerMinute", 1, "allowedModels", List.of("sim-1"));
        assertThat(send("PUT", TestIdentities.chatCaller(account), "/api/v1/usage/admin/tiers/" + tier, raised).status())
                .isEqualTo(403);
        Response changed = send("PUT", TestIdentities.admin("platform-admin"), "/api/v1/usage/admin/tiers/" + tier, raised);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body().get("messagesPerDay").asLong()).isEqualTo(7);
        assertThat(limit(account, "messages_per_day").get("max").asLong()).isEqualTo(7);

        Response tiers = get(TestIdentities.admin("platform-admin"), "/api/v1/usage/admin/tiers");
        assertThat(tiers.body().get("data").findValuesAsString("name")).contains("free", "basic", "pro", "enterprise", tier);
        Response shown = get(TestIdentities.chatCaller(account), "/api/v1/usage/tiers");
        assertThat(shown.status()).as("any caller reads what the tiers give").isEqualTo(200);
        assertThat(shown.body().get("data").findValuesAsString("name")).contains("free", "basic", "pro", "enterprise", tier);
        Response bad = send("PUT", TestIdentities.admin("platform-admin"), "/api/v1/usage/admin/tiers/" + tier,
                Map.of("messagesPerDay", -1));
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void tierEditsAndPeriodAnchorsAreAuditedWithTheAdminBeforeAfterAndReason() {
        String tier = newTier(5, 100, 100, List.of("sim-1"));
        String account = newAccount();
        subscribe(account, tier, 1);
        Map<String, Object> raised = Map.of("messagesPerDay", 9, "tokensPerMonth", 100, "costMicroUsdPerMonth", 100,
                "requestsPerMinute", 1, "tokensPerMinute", 1, "allowedModels", List.of("sim-1"),
                "reason", "launch promotion");

        assertThat(send("PUT", TestIdentities.admin("platform-admin"), "/api/v1/usage/admin/tiers/" + tier, raised)
                .status()).isEqualTo(200);
        assertThat(send("PUT", TestIdentities.admin("platform-admin"), "/api/v1/usage/admin/accounts/" + account
                + "/anchor", Map.of("timeZone", "Europe/Paris", "monthlyAnchorDay", 15)).status()).isEqualTo(200);
        Response tooLong = send("PUT", TestIdentities.admin("platform-admin"), "/api/v1/usage/admin/tiers/" + tier,
                Map.of("messagesPerDay", 1, "tokensPerMonth", 1, "costMicroUsdPerMonth", 1, "requestsPerMinute", 1,
                        "tokensPerMinute", 1, "allowedModels", List.of("sim-1"), "reason", "x".repeat(1001)));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().at("/error/param").asString()).isEqualTo("reason");
        assertThat(limit(account, "messages_per_day").get("max").asLong()).as("the refused edit changed nothing")
                .isEqualTo(9);
        var tierEntry = jdbc.sql("""
                        select action, actor, reason, (before->>'messagesPerDay')::int as was, (after->>'messagesPerDay')::int as now
                        from audit_log where target_type = 'tier' and target_id = :tier order by at desc limit 1""")
                .param("tier", tier).query().singleRow();
        assertThat(tierEntry).containsEntry("action", "tier.updated").containsEntry("actor", "platform-admin")
                .containsEntry("reason", "launch promotion").containsEntry("was", 5).containsEntry("now", 9);
        var anchorEntry = jdbc.sql("""
                        select action, before->>'timeZone' as was, after->>'timeZone' as now, reason
                        from audit_log where target_type = 'account' and target_id = :account""")
                .param("account", account).query().singleRow();
        assertThat(anchorEntry).containsEntry("action", "account.anchor-moved").containsEntry("was", "UTC")
                .containsEntry("now", "Europe/Paris");
        assertThat(anchorEntry.get("reason")).isNull();
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaProbe.readAll(dev.chatplatform.contracts.audit.Topics.AUDIT,
                r -> ("tier:" + tier).equals(r.key()), Duration.ofMillis(500)).size() >= 2);
    }

    @Test
    void usageShowsTheQuotaDailyHistoryProvidersAndCsvAndAdminsReadAnyAccount() {
        String account = newAccount();
        send(usage(account, account + "-r1", "sim-1", 10, 20, 30));
        send(new UsageRecorded(account + "-r2", account, "k", "gpt-4o", "openai", 5, 0, 5, 7, false,
                UsageRecorded.Outcome.COMPLETED, false, 10, null, java.time.Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(2));

        JsonNode usage = me(account);
        assertThat(usage.get("requests").asLong()).isEqualTo(2);
        assertThat(usage.get("byProvider").findValuesAsString("provider")).containsExactly("openai", "simulated");
        assertThat(usage.at("/quota/limits/1/used").asLong()).isEqualTo(40);
        assertThat(usage.at("/quota/limits/2/remaining").asLong()).isEqualTo(1_000_000 - 37);

        JsonNode daily = get(TestIdentities.chatCaller(account), "/api/v1/usage/me/daily").body();
        assertThat(daily.get("days")).hasSize(1);
        assertThat(daily.at("/days/0/costMicroUsd").asLong()).isEqualTo(37);

        var csv = http().get().uri("/api/v1/usage/me/export.csv").headers(h -> h.addAll(TestIdentities.chatCaller(account)))
                .exchange((req, res) -> new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
        String[] lines = csv.split("\n");
        assertThat(lines[0]).startsWith("date,model,provider,requests");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).contains(",gpt-4o,openai,1,5,0,5,10,7,0.000007");

        assertThat(get(TestIdentities.chatCaller(newAccount()), "/api/v1/usage/accounts/" + account).status()).isEqualTo(403);
        Response asAdmin = get(TestIdentities.admin("platform-admin"), "/api/v1/usage/accounts/" + account);
        assertThat(asAdmin.status()).isEqualTo(200);
        assertThat(asAdmin.body().get("costMicroUsd").asLong()).isEqualTo(37);
        assertThat(get(TestIdentities.admin("platform-admin"), "/api/v1/usage/accounts/" + account + "/daily").status())
                .isEqualTo(200);
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return new String(record.headers().lastHeader("x-dlt-reason").value(), StandardCharsets.UTF_8);
    }

    private static List<MimeMessage> mailsTo(String email) {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(email));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.chatplatform.usage;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.usage.Topics;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class UsageServiceTest extends UsageIntegrationTest {

    @Test
    void sumsTheCallersUsageOfTheCurrentMonthInTotalAndPerModel() {
        String account = newAccount();
        UsageRecorded first = usage(account, "sim-1", 23, 5, 41, 94);
        send(first);
        send(usage(account, "sim-1", 100, 0, 200, 350));
        send(usage(account, "sim-1-mini", 10, 0, 20, 9));

        JsonNode usage = awaitUsage(account, "", 3);

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(usage.get("accountId").asString()).isEqualTo(account);
        assertThat(usage.get("from").asString()).isEqualTo(today.withDayOfMonth(1).toString());
        assertThat(usage.get("to").asString()).isEqualTo(today.withDayOfMonth(today.lengthOfMonth()).toString());
        assertThat(usage.get("requests").asLong()).isEqualTo(3);
        assertThat(usage.get("inputTokens").asLong()).isEqualTo(133);
        assertThat(usage.get("cachedInputTokens").asLong()).isEqualTo(5);
        assertThat(usage.get("outputTokens").asLong()).isEqualTo(261);
        assertThat(usage.get("totalTokens").asLong()).isEqualTo(394);
        assertThat(usage.get("costMicroUsd").asLong()).isEqualTo(453);
        assertThat(usage.get("costUsd").isString()).isTrue();
        assertThat(usage.get("costUsd").asString()).isEqualTo("0.000453");

        JsonNode byModel = usage.get("byModel");
        assertThat(byModel.size()).isEqualTo(2);
        assertThat(byModel.get(0).get("model").asString()).isEqualTo("sim-1");
        assertThat(byModel.get(0).get("requests").asLong()).isEqualTo(2);
        assertThat(byModel.get(0).get("inputTokens").asLong()).isEqualTo(123);
        assertThat(byModel.get(0).get("cachedInputTokens").asLong()).isEqualTo(5);
        assertThat(byModel.get(0).get("outputTokens").asLong()).isEqualTo(241);
        assertThat(byModel.get(0).get("totalTokens").asLong()).isEqualTo(364);
        assertThat(byModel.get(0).get("costMicroUsd").asLong()).isEqualTo(444);
        assertThat(byModel.get(0).get("costUsd").asString()).isEqualTo("0.000444");
        assertThat(byModel.get(1).get("model").asString()).isEqualTo("sim-1-mini");
        assertThat(byModel.get(1).get("requests").asLong()).isEqualTo(1);
        assertThat(byModel.get(1).get("totalTokens").asLong()).isEqualTo(30);
        assertThat(byModel.get(1).get("costUsd").asString()).isEqualTo("0.000009");

        Map<String, Object> row = jdbc.sql("select * from usage_records where event_id = :id")
                .param("id", eventId(first)).query().singleRow();
        assertThat(row).containsEntry("request_id", first.requestId()).containsEntry("account_id", account)
                .containsEntry("api_key_id", "k_test").containsEntry("provider", "simulated")
                .containsEntry("outcome", "COMPLETED").containsEntry("streamed", true)
                .containsEntry("estimated", false).containsEntry("latency_ms", 912L)
                .containsEntry("time_to_first_token_ms", 210L);
        assertThat(row.get("event_time")).isNotNull();
    }

    @Test
    void aDuplicateDeliveryOrReplayedEventCountsOnce() {
        String account = newAccount();
        UsageRecorded once = usage(account, "sim-1", 23, 0, 41, 94);
        send(once);
        send(once);
        send(once);
        // Same key, same partition: when this one is counted, the copies before it have been handled.
        send(usage(account, "sim-1", 1, 0, 1, 2));

        JsonNode usage = awaitUsage(account, "", 2);

        assertThat(usage.get("requests").asLong()).isEqualTo(2);
        assertThat(usage.get("totalTokens").asLong()).isEqualTo(66);
        assertThat(usage.get("costMicroUsd").asLong()).isEqualTo(96);
        assertThat(jdbc.sql("select count(*) from usage_records where account_id = :a").param("a", account)
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void embeddingsAreCountedOnceAndShownAsTheirOwnKind() {
        String account = newAccount();
        UsageRecorded embeddings = new UsageRecorded("req_" + UUID.randomUUID(), account, "k_test", "sim-embed-1",
                "simulated", 40, 0, 0, 1, false, Outcome.COMPLETED, false, 12, null, Instant.now(),
                UsageRecorded.Kind.EMBEDDINGS);
        send(embeddings);
        send(embeddings);
        // an event written before the kind existed (no "kind" in its JSON) is chat
        UsageRecorded chat = usage(account, "sim-1", 23, 0, 41, 94);
        ObjectNode old = (ObjectNode) json.valueToTree(chat);
        old.remove("kind");
        send(record(eventId(chat), UsageRecorded.TYPE.name(), account, json.writeValueAsString(old)));

        JsonNode usage = awaitUsage(account, "", 2);

        assertThat(usage.get("requests").asLong()).isEqualTo(2);
        assertThat(usage.get("inputTokens").asLong()).isEqualTo(63);
        assertThat(usage.get("outputTokens").asLong()).isEqualTo(41);
        JsonNode byKind = usage.get("byKind");
        assertThat(byKind.size()).isEqualTo(2);
        assertThat(byKind.get(0).get("kind").asString()).isEqualTo("chat");
        assertThat(byKind.get(0).get("requests").asLong()).isEqualTo(1);
        assertThat(byKind.get(1).get("kind").asString()).isEqualTo("embeddings");
        assertThat(byKind.get(1).get("requests").asLong()).isEqualTo(1);
        assertThat(byKind.get(1).get("inputTokens").asLong()).isEqualTo(40);
        assertThat(byKind.get(1).get("outputTokens").asLong()).isZero();
        assertThat(byKind.get(1).get("costMicroUsd").asLong()).isEqualTo(1);
        assertThat(usage.get("byProvider").size()).as("kind lines are not provider lines").isEqualTo(1);
        assertThat(jdbc.sql("select kind from usage_records where event_id = :id").param("id", eventId(embeddings))
                .query(String.class).single()).isEqualTo("EMBEDDINGS");
        assertThat(jdbc.sql("select kind from usage_records where event_id = :id").param("id", eventId(chat))
                .query(String.class).single()).isEqualTo("CHAT");
    }

    @Test
    void aCallerSeesOnlyTheUsageOfItsOwnAccount() {
        String accountA = newAccount();
        String accountB = newAccount();
        send(usage(accountB, "sim-1", 23, 0, 41, 94));
        awaitUsage(accountB, "", 1);

        JsonNode usageOfA = getUsage(accountA, "").body();

        assertThat(usageOfA.get("accountId").asString()).isEqualTo(accountA);
        assertThat(usageOfA.get("requests").asLong()).isZero();
        assertThat(usageOfA.get("totalTokens").asLong()).isZero();
        assertThat(usageOfA.get("costUsd").asString()).isEqualTo("0.000000");
        assertThat(usageOfA.get("byModel").size()).isZero();
    }

    @Test
    void unreadableRecordsAreSkippedAndDoNotBlockTheEventsBehindThem() {
        String account = newAccount();
        String type = UsageRecorded.TYPE.name();
        send(record(UUID.randomUUID().toString(), type, account, "{not json"));
        send(record(UUID.randomUUID().toString(), "usage.unknown.v1", account, "{}"));
        send(record(UUID.randomUUID().toString(), type, account, "{\"requestId\":\"r\"}"));
        send(record(UUID.randomUUID().toString(), type, account, null));
        send(new ProducerRecord<>(Topics.USAGE, account, json.writeValueAsString(usage(account, "sim-1", 1, 0, 1, 1))));
        UsageRecorded negative = usage(account, "sim-1", -5, 0, 41, 94);
        send(record(eventId(negative), type, account, json.writeValueAsString(negative)));
        send(usage(account, "sim-1", 23, 0, 41, 94));

        JsonNode usage = awaitUsage(account, "", 1);

        assertThat(usage.get("requests").asLong()).isEqualTo(1);
        assertThat(usage.get("inputTokens").asLong()).isEqualTo(23);
        assertThat(usage.get("costMicroUsd").asLong()).isEqualTo(94);
    }

    @Test
    void periodsAreWholeUtcDaysWithBothEndsIncluded() {
        String account = newAccount();
        send(usage(account, "sim-1", 10, 0, 10, 10, Instant.parse("2025-01-31T23:59:59.999Z")));
        send(usage(account, "sim-1", 20, 0, 20, 20, Instant.parse("2025-02-01T00:00:00Z")));
        awaitUsage(account, "?from=2025-01-01&to=2025-02-28", 2);

        assertThat(getUsage(account, "?from=2025-01-31&to=2025-01-31").body().get("costMicroUsd").asLong()).isEqualTo(10);
        assertThat(getUsage(account, "?from=2025-02-01&to=2025-02-01").body().get("costMicroUsd").asLong()).isEqualTo(20);
        JsonNode january = getUsage(account, "?to=2025-01-31").body();
        assertThat(january.get("from").asString()).isEqualTo("2025-01-01");
        assertThat(january.get("requests").asLong()).isEqualTo(1);
        assertThat(getUsage(account, "?from=2025-01-01").body().get("requests").asLong()).isEqualTo(2);
        assertThat(getUsage(account, "").body().get("requests").asLong()).isZero();
    }

    @Test
    void badQueryParametersAreRefusedWithA400NamingTheParameter() {
        String account = newAccount();
        assertBadParam(getUsage(account, "?from=2026-13-01"), "invalid_date", "from");
        assertBadParam(getUsage(account, "?to=yesterday"), "invalid_date", "to");
        assertBadParam(getUsage(account, "?from=2026-02-01T00:00:00Z"), "invalid_date", "from");
        assertBadParam(getUsage(account, "?from=2026-02-10&to=2026-02-01"), "invalid_period", "from");
    }

    @Test
    void refusesCallersWithoutAGatewayIdentity() {
        var response = RestClient.create("http://localhost:" + port).get().uri("/api/v1/usage/me")
                .exchange((req, res) -> new Response(res.getStatusCode().value(), json.readTree(res.getBody())));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body().at("/error/code").asString()).isEqualTo("unauthenticated");
    }

    @Test
    void acceptsOnlyIdentityTokensMintedForUsageService() {
        String account = newAccount();
        for (String otherService : new String[] {"chat-service", "billing-service", "gateway"}) {
            var response = RestClient.create("http://localhost:" + port).get().uri("/api/v1/usage/me")
                    .header("X-Platform-Identity", TestIdentities.tokenFor(otherService, account, "chat"))
                    .exchange((req, res) -> new Response(res.getStatusCode().value(), json.readTree(res.getBody())));
            assertThat(response.status()).as("a token for %s", otherService).isEqualTo(401);
            assertThat(response.body().at("/error/code").asString()).isEqualTo("unauthenticated");
        }
        assertThat(getUsage(account, "").status()).as("the same caller, with a token for usage-service").isEqualTo(200);
    }

    private void assertBadParam(Response response, String code, String param) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/error/type").asString()).isEqualTo("invalid_request_error");
        assertThat(response.body().at("/error/code").asString()).isEqualTo(code);
        assertThat(response.body().at("/error/param").asString()).isEqualTo(param);
    }

    private JsonNode awaitUsage(String account, String query, long requests) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Response response = getUsage(account, query);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body().get("requests").asLong()).isGreaterThanOrEqualTo(requests);
            last[0] = response.body();
        });
        return last[0];
    }

    private Response getUsage(String account, String query) {
        return RestClient.create("http://localhost:" + port).get().uri("/api/v1/usage/me" + query)
                .headers(h -> h.addAll(TestIdentities.chatCaller(account)))
                .exchange((req, res) -> new Response(res.getStatusCode().value(), json.readTree(res.getBody())));
    }

    private static UsageRecorded usage(String account, String model, long input, long cached, long output, long cost) {
        return usage(account, model, input, cached, output, cost, Instant.now());
    }

    private static UsageRecorded usage(String account, String model, long input, long cached, long output, long cost,
                                       Instant occurredAt) {
        return new UsageRecorded("req_" + UUID.randomUUID(), account, "k_test", model, "simulated", input, cached,
                output, cost, false, Outcome.COMPLETED, true, 912, 210L, occurredAt);
    }

    /** Publishes the event as chat-service's outbox relay would. */
    @Override
    protected void send(UsageRecorded usage) {
        send(record(eventId(usage), UsageRecorded.TYPE.name(), usage.accountId(), json.writeValueAsString(usage)));
    }

    private static void send(ProducerRecord<String, String> record) {
        KafkaProbe.send(record);
    }

    /** A record with the CloudEvents headers of service-kit's OutboxRelay. */
    private static ProducerRecord<String, String> record(String eventId, String type, String account, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.USAGE, account, value);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, eventId);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, "chat-service");
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(record, CloudEventHeaders.SUBJECT, account);
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

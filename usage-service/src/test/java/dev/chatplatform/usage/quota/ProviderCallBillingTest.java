package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.TestIdentities;
import dev.chatplatform.usage.UsageIntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request chat-service could not bill (killed mid-stream, or unable to write its usage event) is billed by
 * usage-service from provider-service's record of the call when its hold expires, exactly once, with the event id
 * chat-service would have used.
 */
class ProviderCallBillingTest extends UsageIntegrationTest {

    private static final long PRICE = 1_000_000; // 1 micro-USD per token

    @Test
    void aHoldThatExpiresUnsettledIsBilledOnceFromTheCallThatAnsweredAndChatServicesLateEventIsNotCountedAgain() {
        String account = newAccount();
        String requestId = "req-" + UUID.randomUUID();
        placeStreamedHold(account, requestId);
        // chat-service was killed mid-stream: provider-service recorded a retried call, then the one that answered
        // until the client (chat-service) went away
        publishCall(call(account, requestId, 1, LlmCallRecorded.Outcome.RETRY, 0, 0, 0));
        publishCall(call(account, requestId, 2, LlmCallRecorded.Outcome.CLIENT_GONE, 100, 42, 142));
        awaitRecordedCall(account, requestId);

        expire(account, requestId);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(me(account).get("requests").asLong()).isEqualTo(1));
        JsonNode usage = me(account);
        assertThat(usage.get("inputTokens").asLong()).isEqualTo(100);
        assertThat(usage.get("outputTokens").asLong()).isEqualTo(42);
        assertThat(usage.get("costMicroUsd").asLong()).isEqualTo(142);
        assertThat(limit(account, "tokens_per_month").get("used").asLong()).isEqualTo(142);
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isZero();

        String eventId = EventIds.of(UsageRecorded.TYPE, requestId);
        List<ConsumerRecord<String, String>> published = KafkaProbe.readAll(UsageRecorded.TYPE.topic(),
                r -> account.equals(r.key()), Duration.ofSeconds(2));
        assertThat(published).hasSize(1);
        assertThat(header(published.getFirst(), CloudEventHeaders.ID)).as("the id chat-service would have used")
                .isEqualTo(eventId);
        assertThat(header(published.getFirst(), CloudEventHeaders.SOURCE)).isEqualTo("usage-service");
        UsageRecorded event = json.readValue(published.getFirst().value(), UsageRecorded.class);
        assertThat(event).isEqualTo(new UsageRecorded(requestId, account, "k_test", "sim-1", "simulated", 100, 10, 42,
                142, false, UsageRecorded.Outcome.CLIENT_DISCONNECTED, true, 900, 80L, event.occurredAt()));

        // chat-service's own event for the request arrives after all (its outbox was late): same id, not counted again
        send(usage(account, requestId, "sim-1", 100, 50, 150));
        String marker = "req-marker-" + UUID.randomUUID(); // same account, so the same partition: metered after it
        send(usage(account, marker, "sim-1", 1, 1, 2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(me(account).get("requests").asLong()).isEqualTo(2));
        assertThat(me(account).get("costMicroUsd").asLong()).isEqualTo(142 + 2);
        assertThat(limit(account, "tokens_per_month").get("used").asLong()).isEqualTo(142 + 2);
    }

    @Test
    void aCallRecordedAfterItsHoldExpiredIsBilledWhenItArrives() {
        String account = newAccount();
        String requestId = "req-" + UUID.randomUUID();
        placeStreamedHold(account, requestId);
        expire(account, requestId);

        publishCall(call(account, requestId, 1, LlmCallRecorded.Outcome.SUCCESS, 30, 12, 42));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(me(account).get("requests").asLong()).isEqualTo(1));
        assertThat(me(account).get("costMicroUsd").asLong()).isEqualTo(42);
        assertThat(outboxRows(EventIds.of(UsageRecorded.TYPE, requestId))).isEqualTo(1);
        // a replay of the record bills nothing more
        publishCall(call(account, requestId, 1, LlmCallRecorded.Outcome.SUCCESS, 30, 12, 42));
        String marker = "req-" + UUID.randomUUID();
        placeStreamedHold(account, marker);
        publishCall(call(account, marker, 1, LlmCallRecorded.Outcome.SUCCESS, 1, 1, 2));
        awaitRecordedCall(account, marker);
        assertThat(outboxRows(EventIds.of(UsageRecorded.TYPE, requestId))).isEqualTo(1);
    }

    @Test
    void nothingIsBilledFromTheProviderForAHoldTheUsageEventSettledOrChatServiceReleased() {
        String account = newAccount();
        String settled = "req-settled-" + UUID.randomUUID();
        String released = "req-released-" + UUID.randomUUID();
        String expiring = "req-expiring-" + UUID.randomUUID();
        placeStreamedHold(account, settled);
        String releasedHold = placeStreamedHold(account, released);
        placeStreamedHold(account, expiring);
        send(usage(account, settled, "sim-1", 100, 42, 142));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(account, settled)).isEqualTo("settled"));
        assertThat(send("DELETE", TestIdentities.chatCaller(account), "/api/v1/holds/" + releasedHold, null).status())
                .isEqualTo(204);

        publishCall(call(account, settled, 1, LlmCallRecorded.Outcome.SUCCESS, 100, 42, 142));
        publishCall(call(account, released, 1, LlmCallRecorded.Outcome.SUCCESS, 100, 42, 142));
        publishCall(call(account, expiring, 1, LlmCallRecorded.Outcome.FALLBACK, 0, 0, 0)); // failed before answering
        publishCall(call(account, expiring, 2, LlmCallRecorded.Outcome.SUCCESS, 7, 3, 10));
        awaitRecordedCall(account, expiring); // the same partition: the records before it were consumed
        expire(account, expiring);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(me(account).get("requests").asLong()).isEqualTo(2));
        assertThat(me(account).get("costMicroUsd").asLong()).isEqualTo(142 + 10);
        assertThat(outboxRows(EventIds.of(UsageRecorded.TYPE, settled))).isZero();
        assertThat(outboxRows(EventIds.of(UsageRecorded.TYPE, released))).isZero();
        assertThat(recordedCalls(account)).as("only the open hold's call was kept").isEqualTo(1);
    }

    private String placeStreamedHold(String account, String requestId) {
        Response r = send("POST", TestIdentities.chatCaller(account), "/api/v1/holds", Map.of("requestId", requestId,
                "model", "sim-1", "promptTokens", 100, "maxTokens", 900, "inputPriceMicroUsdPerMillion", PRICE,
                "outputPriceMicroUsdPerMillion", PRICE, "streamed", true));
        assertThat(r.status()).isEqualTo(201);
        return r.body().get("holdId").asString();
    }

    private void expire(String account, String requestId) {
        jdbc.sql("update holds set expires_at = now() - interval '1 second' where account_id = :a and request_id = :r")
                .param("a", account).param("r", requestId).update();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(account, requestId)).isEqualTo("expired"));
    }

    private String status(String account, String requestId) {
        return jdbc.sql("select status from holds where account_id = :a and request_id = :r")
                .param("a", account).param("r", requestId).query(String.class).single();
    }

    private void awaitRecordedCall(String account, String requestId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql(
                        "select count(*) from provider_calls where account_id = :a and request_id = :r")
                .param("a", account).param("r", requestId).query(Long.class).single()).isEqualTo(1));
    }

    private long recordedCalls(String account) {
        return jdbc.sql("select count(*) from provider_calls where account_id = :a").param("a", account)
                .query(Long.class).single();
    }

    private long outboxRows(String eventId) {
        return jdbc.sql("select count(*) from outbox_events where id = :id").param("id", eventId).query(Long.class).single();
    }

    private void publishCall(LlmCallRecorded call) {
        publish(LlmCallRecorded.TYPE, call.requestId() + ":" + call.attempt(), call.accountId(), call);
    }

    private static LlmCallRecorded call(String account, String requestId, int attempt, LlmCallRecorded.Outcome outcome,
                                        long input, long output, long cost) {
        return new LlmCallRecorded(requestId, account, attempt, "simulated", "sim-1", "sim-1-upstream", outcome,
                outcome == LlmCallRecorded.Outcome.SUCCESS ? null : "stream_cut", 900, input > 0 ? 80L : null, input,
                input / 10, output, cost, false, Map.of(), Instant.now());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

package dev.chatplatform.provider;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.TopicDefinition;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.kit.events.ConsumedEvents;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kit's event paths as provider-service uses them: the outbox records an attempt whose client went away and
 * parks rows Kafka refuses without stalling the rest; the {@code provider-service.account-tiers} consumer retries
 * a record the database cannot take yet and dead-letters a credentials record that billing-service did not write.
 * The simulated model answers slowly here, so a client can go away in the middle of a stream.
 */
@PlatformIntegrationTest
@TestPropertySource(properties = {"provider.simulated.first-token-delay=0ms", "provider.simulated.tokens-per-second=20"})
class EventsAndOutboxIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Outbox outbox;

    @Autowired
    @Qualifier("outboxHealthIndicator")
    HealthIndicator outboxHealth;

    @Test
    void aStreamWhoseClientDisconnectsStillRecordsItsAttemptOnLlmCalls() throws Exception {
        String account = "acc-cut-" + UUID.randomUUID();
        String body = """
                {"model":"sim-1","stream":true,"messages":[{"role":"user","content":"Tell me a long story"}]}""";
        String requestId;
        try (Socket socket = new Socket("localhost", port)) {
            StringBuilder request = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n")
                    .append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
            TestIdentities.chatCaller(account).forEach((name, values) ->
                    values.forEach(v -> request.append(name).append(": ").append(v).append("\r\n")));
            OutputStream out = socket.getOutputStream();
            out.write((request + "\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            String id = null;
            int chunks = 0;
            for (String line = in.readLine(); line != null && chunks < 3; line = in.readLine()) {
                if (line.regionMatches(true, 0, "X-Request-Id:", 0, 13)) {
                    id = line.substring(13).trim();
                }
                if (line.startsWith("data: {")) {
                    chunks++;
                }
            }
            assertThat(chunks).as("the stream had started").isEqualTo(3);
            requestId = id;
            socket.setSoLinger(true, 0); // cut: a reset, as when a client is killed
        }
        assertThat(requestId).isNotNull();

        String eventId = EventIds.of(LlmCallRecorded.TYPE, requestId + ":1");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            records.clear();
            records.addAll(KafkaProbe.readAll(LlmCallRecorded.TYPE.topic(),
                    r -> eventId.equals(header(r, CloudEventHeaders.ID)), Duration.ofMillis(300)));
            return !records.isEmpty();
        });
        LlmCallRecorded call = JSON.readValue(records.getFirst().value(), LlmCallRecorded.class);
        assertThat(call.requestId()).isEqualTo(requestId);
        assertThat(call.accountId()).isEqualTo(account);
        assertThat(call.outcome()).isEqualTo(LlmCallRecorded.Outcome.CLIENT_GONE);
        assertThat(call.outputTokens()).as("the tokens produced before the cut").isPositive();
    }

    /**
     * What a disconnecting streaming client does to the request's virtual thread: it is interrupted, and a JDBC
     * call on it would fail. The detached insert does not run on it.
     */
    @Test
    void anEventPublishedFromAnInterruptedThreadIsStoredAndSent() throws Exception {
        String account = "acc-interrupted-" + UUID.randomUUID();
        LlmCallRecorded call = new LlmCallRecorded("req-" + account, account, 1, "simulated", "sim-1", "sim-1",
                LlmCallRecorded.Outcome.CLIENT_GONE, null, 10, null, 1, 0, 1, 1, false, Map.of(), Instant.now(), null,
                false);
        String[] eventId = new String[1];
        Thread.ofVirtual().start(() -> {
            Thread.currentThread().interrupt();
            eventId[0] = outbox.publishDetached(LlmCallRecorded.TYPE, call.requestId() + ":1", account, account, call);
        }).join();

        await().atMost(Duration.ofSeconds(30)).until(() -> !KafkaProbe.readAll(LlmCallRecorded.TYPE.topic(),
                r -> eventId[0].equals(header(r, CloudEventHeaders.ID)), Duration.ofMillis(300)).isEmpty());
    }

    @Test
    void rowsKafkaRefusesForGoodAreParkedWithTheirReasonAndTheRowsBehindThemFlow() {
        String run = UUID.randomUUID().toString();
        double parkedBefore = counter("outbox.events.parked");
        enqueue("oversized-" + run, LlmCallRecorded.TYPE.topic(), "x".repeat(2 * 1024 * 1024));
        enqueue("no-topic-" + run, "no-such-topic.v1", "{}");
        enqueue("behind-" + run, LlmCallRecorded.TYPE.topic(), "{\"behind\":true}");

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                        "select count(*) from outbox_events where id = :id and published_at is not null")
                .param("id", "behind-" + run).query(Integer.class).single() == 1);
        assertThat(KafkaProbe.readAll(LlmCallRecorded.TYPE.topic(),
                r -> ("behind-" + run).equals(header(r, CloudEventHeaders.ID)), Duration.ofMillis(300))).hasSize(1);

        Map<String, String> reasons = new java.util.HashMap<>();
        jdbc.sql("select id, park_reason from outbox_events where id in (:ids) and parked_at is not null")
                .param("ids", List.of("oversized-" + run, "no-topic-" + run))
                .query((rs, i) -> reasons.put(rs.getString("id"), rs.getString("park_reason"))).list();
        assertThat(reasons.get("oversized-" + run)).startsWith("RecordTooLargeException");
        assertThat(reasons.get("no-topic-" + run)).contains("no-such-topic.v1 is not in the event catalog");
        assertThat(counter("outbox.events.parked") - parkedBefore).isEqualTo(2);
        var health = outboxHealth.health(true);
        assertThat((Long) health.getDetails().get("parked")).isGreaterThanOrEqualTo(2);
        assertThat(health.getDetails()).containsKey("oldestParked");
    }

    @Test
    void anAccountRecordTheDatabaseCannotTakeYetIsRetriedUntilItIsAppliedNeverSkipped() {
        String account = "acc-retry-" + UUID.randomUUID();
        double retriesBefore = consumerCounter(ConsumedEvents.RETRIES);
        jdbc.sql("alter table account_tiers rename to account_tiers_away").update();
        try {
            KafkaProbe.send(accountChanged(account, "pro", 1, "billing-service"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> consumerCounter(ConsumedEvents.RETRIES) - retriesBefore >= 2);
        } finally {
            jdbc.sql("alter table account_tiers_away rename to account_tiers").update();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> tierOf(account).contains("pro"));
        assertThat(KafkaProbe.readAll(TopicDefinition.deadLetterTopicOf(AccountChanged.TYPE.topic()),
                r -> account.equals(r.key()), Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void anAccountRecordNotWrittenByBillingServiceIsDeadLetteredWithItsReasonAndAttributes() {
        String account = "acc-forged-" + UUID.randomUUID();
        KafkaProbe.send(accountChanged(account, "enterprise", 1, "attacker"));

        List<ConsumerRecord<String, String>> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            dead.clear();
            dead.addAll(KafkaProbe.readAll(TopicDefinition.deadLetterTopicOf(AccountChanged.TYPE.topic()),
                    r -> account.equals(r.key()), Duration.ofMillis(300)));
            return !dead.isEmpty();
        });
        ConsumerRecord<String, String> letter = dead.getFirst();
        assertThat(header(letter, "x-dlt-reason")).contains("ce_source 'attacker' is not a producer of accounts.v1");
        assertThat(header(letter, "x-dlt-consumer")).isEqualTo("provider-service.account-tiers");
        assertThat(header(letter, CloudEventHeaders.SOURCE)).isEqualTo("attacker");
        assertThat(header(letter, CloudEventHeaders.ID)).isEqualTo(account + ":1");
        assertThat(tierOf(account)).isEmpty();
        assertThat(counterOf(ConsumedEvents.DEAD_LETTERED, "provider-service.account-tiers")).isPositive();
    }

    private void enqueue(String id, String topic, String payload) {
        jdbc.sql("""
                        insert into outbox_events (id, topic, record_key, type, payload)
                        values (:id, :topic, 'acc-outbox', :type, :payload)""")
                .param("id", id).param("topic", topic).param("type", LlmCallRecorded.TYPE.name())
                .param("payload", payload).update();
    }

    private List<String> tierOf(String account) {
        return jdbc.sql("select tier from account_tiers where account_id = :a").param("a", account)
                .query(String.class).list();
    }

    private double counter(String name) {
        Counter c = meters.find(name).counter();
        return c == null ? 0 : c.count();
    }

    private double consumerCounter(String name) {
        return counterOf(name, "provider-service.account-tiers");
    }

    private double counterOf(String name, String consumer) {
        return meters.find(name).tag("consumer", consumer).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static ProducerRecord<String, String> accountChanged(String account, String tier, long version,
                                                                 String source) {
        String value = JSON.writeValueAsString(
                new AccountChanged(account, account + "@example.com", "Test", tier, "active", version, Instant.now()));
        var record = new ProducerRecord<>(AccountChanged.TYPE.topic(), account, value);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, account + ":" + version);
        header(record, CloudEventHeaders.TYPE, AccountChanged.TYPE.name());
        header(record, CloudEventHeaders.SOURCE, source);
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(record, CloudEventHeaders.SUBJECT, account);
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

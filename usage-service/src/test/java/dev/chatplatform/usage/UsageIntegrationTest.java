package dev.chatplatform.usage;

import dev.chatplatform.contracts.event.TopicDefinition;
import dev.chatplatform.contracts.event.EventCatalog;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.event.EventType;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every integration test class extends this one, so they share one Spring context (one consumer in group
 * usage-service, one database) and one GreenMail SMTP server.
 */
@PlatformIntegrationTest
public abstract class UsageIntegrationTest {

    protected static final GreenMail MAIL = startMail();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JsonMapper json;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
        registry.add("usage.holds.sweep-interval", () -> "300ms");
        registry.add("usage.notifications.poll-interval", () -> "300ms");
    }

    private static GreenMail startMail() {
        GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
        return mail;
    }

    protected record Response(int status, JsonNode body) {
    }

    protected static String newAccount() {
        return "acc-" + UUID.randomUUID();
    }

    protected RestClient http() {
        return RestClient.create("http://localhost:" + port);
    }

    protected Response get(HttpHeaders identity, String path) {
        return http().get().uri(path).headers(h -> h.addAll(identity))
                .exchange((req, res) -> new Response(res.getStatusCode().value(), readBody(res.getBody().readAllBytes())));
    }

    protected Response send(String method, HttpHeaders identity, String path, Object body) {
        var spec = http().method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .headers(h -> h.addAll(identity));
        if (body != null) {
            spec = spec.contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsString(body));
        }
        return spec.exchange((req, res) -> new Response(res.getStatusCode().value(), readBody(res.getBody().readAllBytes())));
    }

    private JsonNode readBody(byte[] bytes) {
        return bytes.length == 0 ? null : json.readTree(bytes);
    }

    protected Response hold(String account, String requestId, String model, long prompt, Long maxTokens, long in, long out) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("requestId", requestId, "model", model,
                "promptTokens", prompt, "inputPriceMicroUsdPerMillion", in, "outputPriceMicroUsdPerMillion", out));
        if (maxTokens != null) {
            body.put("maxTokens", maxTokens);
        }
        return send("POST", TestIdentities.chatCaller(account), "/api/v1/holds", body);
    }

    protected JsonNode me(String account) {
        Response r = get(TestIdentities.chatCaller(account), "/api/v1/usage/me");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    /** The quota entry of the caller's current period for one limit. */
    protected JsonNode limit(String account, String name) {
        for (JsonNode l : me(account).get("quota").get("limits")) {
            if (l.get("name").asString().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no limit " + name);
    }

    /** Creates a tier through the admin API. */
    protected String newTier(long messagesPerDay, long tokensPerMonth, long costPerMonth, List<String> models) {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        Response r = send("PUT", TestIdentities.admin("platform-admin"), "/api/v1/usage/admin/tiers/" + name,
                Map.of("messagesPerDay", messagesPerDay, "tokensPerMonth", tokensPerMonth,
                        "costMicroUsdPerMonth", costPerMonth, "requestsPerMinute", 60, "tokensPerMinute", 100000,
                        "allowedModels", models));
        assertThat(r.status()).isEqualTo(200);
        return name;
    }

    /** Puts the account on the tier as billing would (subscriptions.v1), and waits until it applies. */
    protected void subscribe(String account, String tier, long version) {
        SubscriptionChanged s = new SubscriptionChanged(account, tier, "active", "local", null, false, null, null,
                version, Instant.now());
        publish(SubscriptionChanged.TYPE, account + ":" + version, account, s);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(me(account).at("/quota/tier").asString()).isEqualTo(tier));
    }

    protected void accountChanged(String account, String email, String tier, long version) {
        publish(AccountChanged.TYPE, account + ":" + version, account,
                new AccountChanged(account, email, "Test", tier, "active", version, Instant.now()));
    }

    protected static UsageRecorded usage(String account, String requestId, String model, long input, long output, long cost) {
        return new UsageRecorded(requestId, account, "k_test", model, "simulated", input, 0, output, cost, false,
                UsageRecorded.Outcome.COMPLETED, true, 500, 100L, Instant.now());
    }

    protected static String eventId(UsageRecorded u) {
        return EventIds.of(UsageRecorded.TYPE, u.requestId());
    }

    protected void send(UsageRecorded u) {
        KafkaProbe.send(record(UsageRecorded.TYPE.topic(), eventId(u), UsageRecorded.TYPE.name(), u.accountId(),
                json.writeValueAsString(u)));
    }

    protected <T extends Record> void publish(EventType<T> type, String cause, String key, T data) {
        KafkaProbe.send(record(type.topic(), EventIds.of(type, cause), type.name(), key, json.writeValueAsString(data)));
    }

    /** A record with the CloudEvents headers of service-kit's OutboxRelay. */
    protected static ProducerRecord<String, String> record(String topic, String eventId, String type, String key,
                                                           String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, eventId);
        header(record, CloudEventHeaders.TYPE, type);
        header(record, CloudEventHeaders.SOURCE, EventCatalog.topic(topic).map(TopicDefinition::producer).orElse("test"));
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(record, CloudEventHeaders.SUBJECT, key);
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    protected long recordedRequests(String account) {
        return jdbc.sql("select count(*) from usage_records where account_id = :a").param("a", account)
                .query(Long.class).single();
    }
}

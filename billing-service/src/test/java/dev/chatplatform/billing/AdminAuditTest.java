package dev.chatplatform.billing;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.audit.Topics;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Every admin change of an account is in billing-service's audit log and on {@code audit.v1}, with who and why. */
@PlatformIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AdminAuditTest {

    /** An operator's admin key ({@code k_test}, as {@link TestIdentities} mints it). */
    private static final HttpHeaders OPERATOR = TestIdentities.admin("acc-operator-1");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    AuditLog audit;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aTierChangeIsAuditedWithWhoBeforeAfterAndWhyAndPublishedOnTheAuditTopic() {
        String accountId = createAccount();

        Reply pro = call(HttpMethod.PUT, "/api/v1/admin/accounts/" + accountId + "/tier",
                "{\"tier\":\"pro\",\"reason\":\"  ticket 4711: paid by bank transfer \"}");

        assertThat(pro.status()).isEqualTo(200);
        var row = jdbc.sql("""
                        select id::text, actor, actor_key_id, reason, before->>'tier' as before_tier,
                               after->>'tier' as after_tier
                        from audit_log where target_type = 'account' and target_id = :id and action = 'account.tier-changed'""")
                .param("id", accountId).query().singleRow();
        assertThat(row).containsEntry("actor", "acc-operator-1").containsEntry("actor_key_id", "k_test")
                .containsEntry("reason", "ticket 4711: paid by bank transfer")
                .containsEntry("before_tier", "free").containsEntry("after_tier", "pro");
        ConsumerRecord<String, String> event = awaitAudit(accountId, "account.tier-changed");
        assertThat(header(event, CloudEventHeaders.SOURCE)).isEqualTo("billing-service");
        assertThat(header(event, CloudEventHeaders.TYPE)).isEqualTo(AuditRecorded.TYPE.name());
        assertThat(header(event, CloudEventHeaders.ID)).isEqualTo(EventIds.of(AuditRecorded.TYPE, (String) row.get("id")));
        assertThat(header(event, CloudEventHeaders.SUBJECT)).isEqualTo(accountId);
        AuditRecorded entry = json.readValue(event.value(), AuditRecorded.class);
        assertThat(entry.entryId()).isEqualTo(row.get("id"));
        assertThat(entry.before()).containsEntry("tier", "free");
        assertThat(entry.after()).containsEntry("tier", "pro").containsEntry("source", "local");
        assertThat(entry.reason()).isEqualTo("ticket 4711: paid by bank transfer");
    }

    @Test
    void suspendReactivateAndDeleteAreEachAuditedWithTheirReason() {
        String accountId = createAccount();

        assertThat(call(HttpMethod.PATCH, "/api/v1/admin/accounts/" + accountId,
                "{\"status\":\"suspended\",\"reason\":\"chargeback\"}").status()).isEqualTo(200);
        assertThat(call(HttpMethod.PATCH, "/api/v1/admin/accounts/" + accountId, "{\"status\":\"active\"}").status())
                .isEqualTo(200);
        assertThat(call(HttpMethod.DELETE, "/api/v1/admin/accounts/" + accountId + "?reason=asked-by-owner", null)
                .status()).isEqualTo(204);

        List<Map<String, Object>> rows = jdbc.sql("""
                        select action, reason, before->>'status' as before_status, after->>'status' as after_status
                        from audit_log where target_id = :id order by at""")
                .param("id", accountId).query().listOfRows();
        assertThat(rows).extracting(r -> r.get("action")).containsExactly("account.created", "account.suspended",
                "account.reactivated", "account.deleted");
        assertThat(rows.get(1)).containsEntry("reason", "chargeback").containsEntry("before_status", "active")
                .containsEntry("after_status", "suspended");
        assertThat(rows.get(2).get("reason")).isNull();
        assertThat(rows.get(3)).containsEntry("reason", "asked-by-owner").containsEntry("after_status", "deleted");
        assertThat(rows.getFirst().get("before_status")).isNull();
        awaitAudit(accountId, "account.deleted");
    }

    @Test
    void aKeyIssuedByAnAdminIsAuditedWithoutItsSecret() {
        String accountId = createAccount();

        Reply issued = call(HttpMethod.POST, "/api/v1/admin/accounts/" + accountId + "/api-keys",
                "{\"name\":\"ci\",\"scopes\":[\"chat\"]}");

        assertThat(issued.status()).isEqualTo(201);
        var row = jdbc.sql("""
                        select after->>'id' as key_id, after::text as after from audit_log
                        where target_id = :id and action = 'account.key-issued'""")
                .param("id", accountId).query().singleRow();
        assertThat(row.get("key_id")).isEqualTo(issued.body().path("id").asString());
        assertThat((String) row.get("after")).doesNotContain(issued.body().path("key").asString());
    }

    @Test
    void theOwnersOwnChangesAreNotAdminActions() {
        String accountId = createAccount();

        Reply renamed = exchange(HttpMethod.PATCH, "/api/v1/accounts/me", TestIdentities.user(accountId),
                "{\"name\":\"Ada\"}");

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(jdbc.sql("select action from audit_log where target_id = :id").param("id", accountId)
                .query(String.class).list()).containsExactly("account.created");
        Reply ownKey = exchange(HttpMethod.POST, "/api/v1/api-keys", TestIdentities.user(accountId), "{\"name\":\"mine\"}");
        assertThat(ownKey.status()).isEqualTo(201);
        assertThat(jdbc.sql("select count(*) from audit_log where target_id = :id").param("id", accountId)
                .query(Integer.class).single()).as("a key the owner issues is not an admin action").isEqualTo(1);
    }

    @Test
    void aTooLongReasonIsRefusedNamingItAndChangesNothing() {
        String accountId = createAccount();
        String tooLong = "x".repeat(AuditLog.MAX_REASON + 1);

        Reply body = call(HttpMethod.PUT, "/api/v1/admin/accounts/" + accountId + "/tier",
                "{\"tier\":\"pro\",\"reason\":\"" + tooLong + "\"}");
        Reply query = call(HttpMethod.DELETE, "/api/v1/admin/accounts/" + accountId + "?reason=" + tooLong, null);

        assertThat(body.status()).isEqualTo(400);
        assertThat(body.body().path("error").path("param").asString()).isEqualTo("reason");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.body().path("error").path("param").asString()).isEqualTo("reason");
        assertThat(jdbc.sql("select action from audit_log where target_id = :id").param("id", accountId)
                .query(String.class).list()).containsExactly("account.created");
    }

    @Test
    void aChangeThatFailsLeavesNeitherTheEntryNorItsEvent() {
        String target = "failing-" + UUID.randomUUID();
        String[] entryId = new String[1];

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            entryId[0] = audit.record(AuditLog.Actor.automatic("test"), "account.updated", "account", target,
                    Map.of("name", "a"), Map.of("name", "b"), "rolled back").entryId();
            throw new IllegalStateException("the change failed after it was audited");
        })).hasMessageContaining("the change failed");

        assertThat(entryId[0]).isNotNull();
        assertThat(jdbc.sql("select count(*) from audit_log where target_id = :id").param("id", target)
                .query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from outbox_events where id = :id")
                .param("id", EventIds.of(AuditRecorded.TYPE, entryId[0])).query(Integer.class).single()).isZero();
    }

    @Test
    void recordingOutsideATransactionIsAProgrammingError() {
        assertThatThrownBy(() -> audit.record(AuditLog.Actor.automatic("test"), "account.updated", "account", "x",
                null, Map.of(), null)).isInstanceOf(IllegalStateException.class);
    }

    private String createAccount() {
        Reply reply = call(HttpMethod.POST, "/api/v1/admin/accounts",
                "{\"email\":\"audit-" + UUID.randomUUID() + "@example.com\"}");
        assertThat(reply.status()).isEqualTo(201);
        return reply.body().path("id").asString();
    }

    private ConsumerRecord<String, String> awaitAudit(String accountId, String action) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found.clear();
            found.addAll(KafkaProbe.readAll(Topics.AUDIT, r -> ("account:" + accountId).equals(r.key())
                    && json.readTree(r.value()).path("action").asString().equals(action), Duration.ofMillis(500)));
            return !found.isEmpty();
        });
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Reply call(HttpMethod method, String path, String body) {
        return exchange(method, path, OPERATOR, body);
    }

    private Reply exchange(HttpMethod method, String path, HttpHeaders headers, String body) {
        RestClient.RequestBodySpec request = RestClient.create("http://localhost:" + port).method(method).uri(path)
                .headers(h -> h.addAll(headers));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.exchange((req, res) -> {
            String raw = res.bodyTo(String.class);
            return new Reply(res.getStatusCode().value(), raw == null || raw.isEmpty() ? null : json.readTree(raw));
        });
    }

    private record Reply(int status, JsonNode body) {
    }
}

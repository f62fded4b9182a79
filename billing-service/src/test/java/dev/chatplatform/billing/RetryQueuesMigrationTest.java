package dev.chatplatform.billing;

import dev.chatplatform.testkit.SharedInfrastructure;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database that still has work in the four old retry queues (V4) to the job table (V5) moves every
 * pending item into a job, due at once, in the shape the kit reads; finished items are not moved.
 */
class RetryQueuesMigrationTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void pendingMailStripeCallsWebhooksAndMeterBatchesBecomeDueJobsOnUpgrade() {
        DriverManagerDataSource db = new DriverManagerDataSource(SharedInfrastructure.newDatabase("billing_upgrade"),
                "postgres", "postgres");
        Flyway.configure().dataSource(db).target("4").load().migrate();
        JdbcClient jdbc = JdbcClient.create(db);
        UUID account = UUID.randomUUID();
        jdbc.sql("insert into accounts (id, email, tier, status, version, created_at, updated_at) "
                + "values (:id, 'old@example.com', 'free', 'active', 1, now(), now())").param("id", account).update();
        jdbc.sql("""
                insert into outgoing_mail (id, recipient, subject, body, attempts, sent_at) values
                  ('evt_1:receipt', 'old@example.com', 'Receipt for your payment', 'Thank you.', 3, null),
                  ('evt_0:receipt', 'old@example.com', 'Receipt for your payment', 'Sent long ago.', 0, now())""").update();
        jdbc.sql("""
                insert into stripe_jobs (kind, account_id, idempotency_key, attempts, last_error, done_at) values
                  ('create_customer', :a, 'customer:' || :a, 5, 'Stripe refused or failed the call: timeout', null),
                  ('create_customer', :a, 'customer:' || :a || ':g0', 0, null, now())""").param("a", account).update();
        jdbc.sql("""
                insert into stripe_events (id, type, created, payload, processed_at, attempts, last_error) values
                  ('evt_2', 'invoice.paid', 1, '{}', null, 2, 'boom'),
                  ('evt_3', 'invoice.paid', 1, '{}', now(), 0, null)""").update();
        jdbc.sql("""
                insert into meter_batches (id, account_id, customer_id, value, event_count, occurred_at, reported_at) values
                  ('mb_pending', :a, 'cus_1', 42, 2, now(), null),
                  ('mb_reported', :a, 'cus_1', 7, 1, now(), now())""").param("a", account).update();

        Flyway.configure().dataSource(db).load().migrate();

        Map<String, JsonNode> jobs = jdbc.sql("select task_name || ':' || task_instance, task_data from scheduled_tasks "
                        + "where execution_time <= now() and not picked and coalesce(consecutive_failures, 0) = 0")
                .query((rs, i) -> Map.entry(rs.getString(1), json.readTree(new String(rs.getBytes(2), StandardCharsets.UTF_8))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(jobs).containsOnlyKeys("mail:evt_1:receipt", "stripe-customer:customer:" + account,
                "stripe-webhook:evt_2", "meter-batch:mb_pending");
        JsonNode mail = jobs.get("mail:evt_1:receipt");
        assertThat(mail.path("data").path("recipient").asString()).isEqualTo("old@example.com");
        assertThat(mail.path("data").path("subject").asString()).isEqualTo("Receipt for your payment");
        assertThat(mail.path("data").path("body").asString()).isEqualTo("Thank you.");
        JsonNode customer = jobs.get("stripe-customer:customer:" + account);
        assertThat(customer.path("data").path("accountId").asString()).isEqualTo(account.toString());
        assertThat(customer.path("lastError").asString()).contains("timeout");
        assertThat(jobs.get("stripe-webhook:evt_2").path("data").isNull()).isTrue();
        assertThat(jobs.values()).allSatisfy(job -> assertThat(Instant.parse(job.path("createdAt").asString()))
                .isBefore(Instant.now().plusSeconds(1)));
        assertThat(jdbc.sql("select count(*) from information_schema.tables where table_name in ('outgoing_mail', 'stripe_jobs')")
                .query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from information_schema.columns where table_name in ('stripe_events', "
                + "'meter_batches') and column_name in ('attempts', 'next_attempt_at', 'last_error')")
                .query(Integer.class).single()).isZero();
    }
}

package dev.chatplatform.billing.stripe;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.billing.Topics;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Billing in Stripe mode against {@link StripeStub}, with webhooks signed exactly as Stripe signs them. */
@PlatformIntegrationTest
// two contexts (local and Stripe mode): each closes while the shared broker still runs, not in a JVM shutdown hook
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {
        "billing.stripe.secret-key=sk_test_stub",
        "billing.stripe.webhook-secret=" + StripeBillingIntegrationTest.WEBHOOK_SECRET,
        "billing.stripe.price-basic=price_basic",
        "billing.stripe.price-pro=price_pro",
        "billing.stripe.price-enterprise=price_enterprise",
        "billing.dunning-grace=3s",
        "billing.poll-interval-ms=200",
        // the jobs' one back-off policy, shortened: 200 ms, 400 ms, then parked after the third failed attempt
        "platform.jobs.first-retry=200ms",
        "platform.jobs.max-delay=1s",
        "platform.jobs.max-attempts=3",
        "platform.jobs.poll-interval=200ms",
        "spring.mail.host=localhost",
        "spring.mail.port=3025"})
class StripeBillingIntegrationTest {

    static final String WEBHOOK_SECRET = "whsec_test_secret_for_the_stub";
    static final StripeStub STRIPE = new StripeStub();
    private static final HttpHeaders ADMIN = TestIdentities.admin("platform-admin");
    /** Distinct, increasing Stripe event times across tests. */
    private static final AtomicLong CLOCK = new AtomicLong(Instant.now().getEpochSecond() - 3600);

    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP);

    @DynamicPropertySource
    static void stripe(DynamicPropertyRegistry registry) {
        registry.add("billing.stripe.api-base", STRIPE::url);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    @Autowired
    @Qualifier("jobsHealthIndicator")
    HealthIndicator jobsHealth;

    @Test
    void everyNewAccountGetsOneStripeCustomerCreatedAsynchronouslyWithAnIdempotencyKey() {
        String accountId = createAccount();

        String customer = awaitCustomer(accountId);

        List<StripeStub.Request> calls = STRIPE.requests("POST", "/v1/customers").stream()
                .filter(r -> accountId.equals(r.form().get("metadata[account_id]"))).toList();
        assertThat(calls).isNotEmpty().allSatisfy(r -> assertThat(r.idempotencyKey()).isEqualTo("customer:" + accountId));
        assertThat(customer).startsWith("cus_");
    }

    @Test
    void inStripeModeEveryPricedTierIsForSaleWithWhatStripeSaysItCharges() {
        STRIPE.failNext("/v1/prices/price_enterprise", 3); // stripe-java tries three times: the plan is shown unpriced
        String accountId = createAccount();
        awaitCustomer(accountId); // its customer job done: no Stripe call of it is left to meet another test's stub setup
        Reply plans = call(HttpMethod.GET, "/api/v1/billing/plans", TestIdentities.user(accountId), null);

        assertThat(plans.status()).isEqualTo(200);
        assertThat(plans.body().path("mode").asString()).isEqualTo("stripe");
        assertThat(plans.body().path("data").get(0).path("forSale").asBoolean()).as("free").isFalse();
        assertThat(plans.body().path("data").get(2).path("tier").asString()).isEqualTo("pro");
        assertThat(plans.body().path("data").get(2).path("forSale").asBoolean()).isTrue();
        assertThat(plans.body().path("data").get(2).path("priceId").asString()).isEqualTo("price_pro");
        assertThat(plans.body().path("data").get(0).path("price").isNull()).as("free has no price").isTrue();
        JsonNode basic = plans.body().path("data").get(1).path("price");
        assertThat(basic.path("unitAmount").asLong()).isEqualTo(900);
        assertThat(basic.path("unitAmount").isIntegralNumber()).as("integer minor units").isTrue();
        assertThat(basic.path("currency").asString()).isEqualTo("usd");
        assertThat(basic.path("interval").asString()).isEqualTo("month");
        assertThat(basic.path("intervalCount").asLong()).isEqualTo(1);
        assertThat(plans.body().path("data").get(3).path("priceId").asString()).isEqualTo("price_enterprise");
        assertThat(plans.body().path("data").get(3).path("price").isNull()).as("Stripe failed: no price, no error").isTrue();

        // read once, then remembered; the failed one is asked again and shown once Stripe answers
        Reply again = call(HttpMethod.GET, "/api/v1/billing/plans", TestIdentities.user(accountId), null);
        assertThat(again.body().path("data").get(3).path("price").path("unitAmount").asLong()).isEqualTo(120_005);
        assertThat(again.body().path("data").get(3).path("price").path("interval").asString()).isEqualTo("year");
        assertThat(STRIPE.requests("GET", "/v1/prices/price_pro")).hasSize(1);
    }

    @Test
    void customerCreationIsRetriedUntilStripeAnswers() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        STRIPE.failNextCustomer(email, 3); // the job's first attempt fails (stripe-java retries twice): the job retries
        String accountId = createAccount(email);

        awaitCustomer(accountId);

        assertThat(customerCreations(accountId)).hasSizeGreaterThan(3)
                .allSatisfy(r -> assertThat(r.idempotencyKey()).isEqualTo("customer:" + accountId));
        awaitGone("stripe-customer:customer:" + accountId);
    }

    @Test
    void aCallStripeRefusesForGoodParksTheJobAtOnceWithStripesReasonAndAnAdminRetryRunsItAgain() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        STRIPE.refuseNextCustomer(email, 1);
        String accountId = createAccount(email);
        String id = "stripe-customer:customer:" + accountId;

        JsonNode parked = awaitJob(id, "parked");

        assertThat(parked.path("attempts").asInt()).isEqualTo(1);
        assertThat(parked.path("reason").asString()).contains("You passed an empty string for 'email'");
        assertThat(parked.path("nextAttemptAt").isNull()).isTrue();
        assertThat(customerCreations(accountId)).hasSize(1); // a 400 is not retried, by stripe-java nor by the job
        assertThat(customerOf(accountId)).isEmpty();

        Reply retried = call(HttpMethod.POST, "/api/v1/admin/jobs/" + id + "/retry", ADMIN,
                "{\"reason\":\"e-mail fixed by support\"}");

        assertThat(retried.status()).as(retried.raw()).isEqualTo(200);
        assertThat(retried.body().path("id").asString()).isEqualTo(id);
        // the retry is an admin action: in the audit log with the job before (parked) and after, and the reason
        assertThat(jdbc.sql("select reason || ' ' || (before ->> 'state') || ' ' || (after ->> 'state') from audit_log "
                + "where action = 'job.retried' and target_type = 'job' and target_id = :id").param("id", id)
                .query(String.class).list()).containsExactly("e-mail fixed by support parked scheduled");
        assertThat(awaitCustomer(accountId)).startsWith("cus_");
        awaitGone(id);
    }

    @Test
    void aMeterBatchThatKeepsFailingIsParkedAfterThePolicysLastAttemptShownToAdminsAndReportedOnceAfterARetry() {
        Subscribed s = subscribed("price_basic");
        STRIPE.failNext("/v1/billing/meter_events", 1_000);
        sendUsage(usage(s.accountId(), 7, 3));
        await().atMost(Duration.ofSeconds(20)).until(() -> batchOf(s.accountId()).isPresent());
        String id = "meter-batch:" + batchOf(s.accountId()).orElseThrow();

        JsonNode parked = awaitJob(id, "parked");

        assertThat(parked.path("kind").asString()).isEqualTo("meter-batch");
        assertThat(parked.path("attempts").asInt()).isEqualTo(3);
        assertThat(parked.path("reason").asString()).startsWith("gave up after 3 failed attempts");
        assertThat(parked.path("lastError").asString()).contains("stub failure");
        JsonNode listed = call(HttpMethod.GET, "/api/v1/admin/jobs?state=parked&kind=meter-batch", ADMIN, null).body();
        assertThat(ids(listed)).contains(id);
        assertThat(listed.path("counts").path("meter-batch").path("parked").asLong()).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.find("jobs.parked").tag("kind", "meter-batch")
                .gauge().value() >= 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> jobsHealth.health().getDetails().get("parked") instanceof Map<?, ?> p
                && p.get("meter-batch") instanceof Long n && n >= 1);
        int failedCalls = meterCalls(s.customerId()).size();
        assertThat(reconciliation(s.accountId()).path("reportedTokens").asLong()).isZero();

        STRIPE.failNext("/v1/billing/meter_events", 0);
        Reply byUser = call(HttpMethod.POST, "/api/v1/admin/jobs/" + id + "/retry", TestIdentities.chatCaller(s.accountId()), null);
        Reply retried = call(HttpMethod.POST, "/api/v1/admin/jobs/" + id + "/retry", ADMIN, null);

        assertThat(byUser.status()).isEqualTo(403);
        assertThat(retried.status()).as(retried.raw()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciliation(s.accountId()).path("reportedTokens").asLong() == 10);
        awaitGone(id);
        assertThat(meterCalls(s.customerId())).hasSize(failedCalls + 1) // one call after the retry, one billing
                .allSatisfy(r -> assertThat(r.idempotencyKey()).isEqualTo(id.substring("meter-batch:".length())));
    }

    @Test
    void aWebhookNamingAnAccountThatDoesNotExistIsParkedWithTheReasonNotLost() {
        String stranger = UUID.randomUUID().toString();
        ObjectNode session = json.createObjectNode().put("id", "cs_test_" + UUID.randomUUID()).put("object", "checkout.session")
                .put("mode", "subscription").put("customer", "cus_unknown").put("client_reference_id", stranger)
                .put("status", "complete");
        String eventId = "evt_" + UUID.randomUUID();
        String payload = event(eventId, "checkout.session.completed", CLOCK.incrementAndGet(), session);

        assertThat(webhook(payload, sign(payload)).status()).isEqualTo(200);

        JsonNode parked = awaitJob("stripe-webhook:" + eventId, "parked");
        assertThat(parked.path("attempts").asInt()).isEqualTo(1);
        assertThat(parked.path("reason").asString()).contains("the account " + stranger).contains("does not exist here");
        assertThat(jdbc.sql("select processed_at is null from stripe_events where id = :id").param("id", eventId)
                .query(Boolean.class).single()).isTrue();
        JsonNode listed = call(HttpMethod.GET, "/api/v1/admin/jobs?kind=stripe-webhook", ADMIN, null).body();
        assertThat(ids(listed)).contains("stripe-webhook:" + eventId);
    }

    @Test
    void receivedWebhookEventsAreListedNewestFirstWithWhatBecameOfEach() {
        String ignoredType = "ops.check_" + UUID.randomUUID().toString().replace("-", "");
        String ignored = "evt_" + UUID.randomUUID();
        String ignoredPayload = event(ignored, ignoredType, CLOCK.incrementAndGet(), json.createObjectNode().put("object", "thing"));
        deliver(ignoredPayload);
        assertThat(webhook(ignoredPayload, sign(ignoredPayload)).body().path("duplicate").asBoolean()).isTrue();
        String applied = "evt_" + UUID.randomUUID(); // handled, about a customer nobody has: nothing to change
        deliver(event(applied, "customer.deleted", CLOCK.incrementAndGet(), customer("cus_" + UUID.randomUUID(), null)));
        String stranger = UUID.randomUUID().toString();
        String failed = "evt_" + UUID.randomUUID();
        String failedPayload = event(failed, "checkout.session.completed", CLOCK.incrementAndGet(), json.createObjectNode()
                .put("id", "cs_test_" + UUID.randomUUID()).put("object", "checkout.session").put("mode", "subscription")
                .put("customer", "cus_unknown").put("client_reference_id", stranger).put("status", "complete"));
        assertThat(webhook(failedPayload, sign(failedPayload)).status()).isEqualTo(200);
        awaitJob("stripe-webhook:" + failed, "parked");

        JsonNode ofType = webhookEvents("?type=" + ignoredType, TestIdentities.analyst(createAccount())).body();
        assertThat(ids(ofType)).containsExactly(ignored);
        JsonNode one = ofType.path("data").get(0);
        assertThat(one.path("outcome").asString()).isEqualTo("ignored");
        assertThat(one.path("deliveries").asInt()).isEqualTo(2);
        assertThat(one.path("processedAt").isNull()).isFalse();
        assertThat(one.path("jobId").isNull()).isTrue();
        assertThat(Instant.parse(one.path("createdAt").asString()).getEpochSecond())
                .isEqualTo(json.readTree(ignoredPayload).path("created").asLong());
        assertThat(ids(webhookEvents("?type=customer.deleted&outcome=applied", ADMIN).body())).contains(applied);
        JsonNode parked = find(webhookEvents("?outcome=failed&limit=100", ADMIN).body(), failed);
        assertThat(parked.path("type").asString()).isEqualTo("checkout.session.completed");
        assertThat(parked.path("reason").asString()).contains("the account " + stranger).contains("does not exist here");
        assertThat(parked.path("attempts").asInt()).isEqualTo(1);
        assertThat(parked.path("jobId").asString()).isEqualTo("stripe-webhook:" + failed);
        assertThat(ids(webhookEvents("?outcome=applied&limit=100", ADMIN).body())).doesNotContain(failed, ignored);

        // newest first, one page at a time
        String pagedType = "ops.page_" + UUID.randomUUID().toString().replace("-", "");
        List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add("evt_" + UUID.randomUUID());
            deliver(event(sent.getLast(), pagedType, CLOCK.incrementAndGet(), json.createObjectNode()));
        }
        JsonNode first = webhookEvents("?type=" + pagedType + "&limit=2", ADMIN).body();
        assertThat(ids(first)).containsExactly(sent.get(2), sent.get(1));
        assertThat(first.path("hasMore").asBoolean()).isTrue();
        JsonNode second = webhookEvents("?type=" + pagedType + "&limit=2&after=" + sent.get(1), ADMIN).body();
        assertThat(ids(second)).containsExactly(sent.get(0));
        assertThat(second.path("hasMore").asBoolean()).isFalse();
    }

    @Test
    void theWebhookEventsApiIsForAnalystsAndAdminsAndNamesWhatIsWrongWithARequest() {
        assertThat(webhookEvents("", TestIdentities.chatCaller(createAccount())).status()).isEqualTo(403);
        assertThat(webhookEvents("", TestIdentities.user(createAccount())).status()).isEqualTo(403);
        Map<String, String> bad = Map.of("?outcome=lost", "outcome", "?type=Invoice%20Paid", "type", "?type=invoice..paid", "type",
                "?limit=0", "limit", "?limit=101", "limit", "?limit=many", "limit", "?after=evt_never_received", "after");
        bad.forEach((query, param) -> {
            Reply reply = webhookEvents(query, ADMIN);
            assertThat(reply.status()).as(query + ": " + reply.raw()).isEqualTo(400);
            assertThat(reply.body().path("error").path("param").asString()).as(query).isEqualTo(param);
        });
        assertThat(webhookEvents("?outcome=lost", ADMIN).body().path("error").path("message").asString())
                .contains("applied", "ignored", "pending", "retrying", "failed");
    }

    @Test
    void analystsSeeJobsButOnlyAdminsRetryAndOnlyAJobThatFailed() {
        String reference = "not-failed-" + UUID.randomUUID();
        // a mail due in an hour that has not failed: it runs by itself, retrying it is a conflict
        jdbc.sql("""
                        insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version,
                                                     consecutive_failures)
                        values ('mail', :ref, convert_to('{"data":null,"createdAt":"2026-01-01T00:00:00Z"}', 'UTF8'),
                                now() + interval '1 hour', false, 1, 0)""")
                .param("ref", reference).update();
        try {
            HttpHeaders analyst = TestIdentities.analyst(createAccount());
            assertThat(call(HttpMethod.GET, "/api/v1/admin/jobs?state=parked", analyst, null).status()).isEqualTo(200);
            assertThat(call(HttpMethod.GET, "/api/v1/admin/jobs/mail:" + reference, analyst, null).body().path("state")
                    .asString()).isEqualTo("scheduled");
            assertThat(call(HttpMethod.POST, "/api/v1/admin/jobs/mail:" + reference + "/retry", analyst, null).status())
                    .isEqualTo(403);

            Reply notFailed = call(HttpMethod.POST, "/api/v1/admin/jobs/mail:" + reference + "/retry", ADMIN, null);

            assertThat(notFailed.status()).as(notFailed.raw()).isEqualTo(409);
            assertThat(notFailed.body().path("error").path("code").asString()).isEqualTo("job_not_failed");
            assertThat(call(HttpMethod.POST, "/api/v1/admin/jobs/nokind/retry", ADMIN, null).status()).isEqualTo(404);
        } finally {
            jdbc.sql("delete from scheduled_tasks where task_name = 'mail' and task_instance = :ref").param("ref", reference).update();
        }
    }

    @Test
    void theJobsApiIsForAdminsAndNamesWhatIsWrongWithARequest() {
        Reply user = call(HttpMethod.GET, "/api/v1/admin/jobs", TestIdentities.chatCaller(createAccount()), null);
        Reply badState = call(HttpMethod.GET, "/api/v1/admin/jobs?state=sleeping", ADMIN, null);
        Reply badLimit = call(HttpMethod.GET, "/api/v1/admin/jobs?limit=1000", ADMIN, null);
        Reply badKind = call(HttpMethod.GET, "/api/v1/admin/jobs?kind=nope", ADMIN, null);
        Reply missing = call(HttpMethod.POST, "/api/v1/admin/jobs/mail:nothing-here/retry", ADMIN, null);

        assertThat(user.status()).isEqualTo(403);
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.body().path("error").path("param").asString()).isEqualTo("state");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.body().path("error").path("message").asString())
                .contains("mail", "meter-batch", "stripe-customer", "stripe-webhook");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().path("error").path("code").asString()).isEqualTo("job_not_found");
    }

    @Test
    void checkoutAndPortalAnswerStripeHostedPages() {
        String accountId = createAccount();

        Reply checkout = call(HttpMethod.POST, "/api/v1/billing/checkout", TestIdentities.user(accountId), "{\"tier\":\"pro\"}");
        Reply portal = call(HttpMethod.POST, "/api/v1/billing/portal", TestIdentities.user(accountId), null);

        assertThat(checkout.status()).isEqualTo(200);
        assertThat(checkout.body().path("url").asString()).startsWith("https://checkout.stripe.com/");
        StripeStub.Request session = STRIPE.requests("POST", "/v1/checkout/sessions").stream()
                .filter(r -> accountId.equals(r.form().get("client_reference_id"))).findFirst().orElseThrow();
        assertThat(session.form()).containsEntry("line_items[0][price]", "price_pro").containsEntry("mode", "subscription");
        assertThat(session.idempotencyKey()).startsWith("checkout:" + accountId);
        assertThat(portal.status()).isEqualTo(200);
        assertThat(portal.body().path("url").asString()).startsWith("https://billing.stripe.com/");
        Reply freeCheckout = call(HttpMethod.POST, "/api/v1/billing/checkout", TestIdentities.user(accountId), "{\"tier\":\"free\"}");
        assertThat(freeCheckout.status()).isEqualTo(400);
    }

    @Test
    void checkoutCompletedActivatesTheTierAndPublishesIt() {
        Subscribed s = subscribed("price_pro");

        JsonNode sub = subscription(s.accountId());
        assertThat(sub.path("tier").asString()).isEqualTo("pro");
        assertThat(sub.path("status").asString()).isEqualTo("active");
        assertThat(me(s.accountId()).path("tier").asString()).isEqualTo("pro");
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaProbe.readAll(Topics.SUBSCRIPTIONS,
                r -> s.accountId().equals(r.key()) && r.value().contains("\"tier\":\"pro\""), Duration.ofMillis(300)).size() >= 1);
    }

    @Test
    void aBadSignatureOrAStaleTimestampIsRefusedAndNothingIsStored() {
        String payload = event("evt_bad_" + UUID.randomUUID(), "customer.subscription.updated", CLOCK.incrementAndGet(),
                json.createObjectNode().put("id", "sub_x"));

        Reply forged = webhook(payload, sign(payload, Instant.now().getEpochSecond(), "whsec_wrong"));
        Reply stale = webhook(payload, sign(payload, Instant.now().minusSeconds(301).getEpochSecond(), WEBHOOK_SECRET));
        Reply missing = webhook(payload, null);
        Reply tampered = webhook(payload.replace("sub_x", "sub_y"), sign(payload, Instant.now().getEpochSecond(), WEBHOOK_SECRET));

        assertThat(List.of(forged, stale, missing, tampered)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().path("error").path("code").asString()).isEqualTo("invalid_signature");
        });
        assertThat(jdbc.sql("select count(*) from stripe_events where payload like '%sub_x%' or payload like '%sub_y%'")
                .query(Integer.class).single()).isZero();
    }

    @Test
    void anyOfSeveralV1SignaturesIsAccepted() {
        String payload = event("evt_multi_" + UUID.randomUUID(), "ping", CLOCK.incrementAndGet(), json.createObjectNode());
        long t = Instant.now().getEpochSecond();
        String header = "t=" + t + ",v1=" + "0".repeat(64) + ",v1=" + hmac(t + "." + payload, WEBHOOK_SECRET) + ",v0=abc";

        assertThat(webhook(payload, header).status()).isEqualTo(200);
    }

    @Test
    void aDuplicateDeliveryIsProcessedOnce() {
        Subscribed s = subscribed("price_basic");
        JsonNode before = subscription(s.accountId());
        String eventId = "evt_dup_" + UUID.randomUUID();
        ObjectNode invoice = invoice("in_" + UUID.randomUUID(), s, 900, 900);
        String payload = event(eventId, "invoice.paid", CLOCK.incrementAndGet(), invoice);

        Reply first = webhook(payload, sign(payload));
        Reply second = webhook(payload, sign(payload));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("duplicate").asBoolean()).isFalse();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().path("duplicate").asBoolean()).isTrue();
        await().until(() -> jdbc.sql("select processed_at is not null from stripe_events where id = :id").param("id", eventId)
                .query(Boolean.class).single());
        assertThat(jdbc.sql("select deliveries from stripe_events where id = :id").param("id", eventId)
                .query(Integer.class).single()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !mailsTo(s.email()).isEmpty());
        assertThat(mailsTo(s.email())).hasSize(1);
        assertThat(jdbc.sql("select count(*) from outbox_events where type = 'invoice.changed.v1' and record_key = :a")
                .param("a", s.accountId()).query(Integer.class).single()).isEqualTo(1);
        assertThat(subscription(s.accountId()).path("version").asLong()).isEqualTo(before.path("version").asLong());
    }

    @Test
    void anUpdateDeliveredBeforeTheCreationIsNotOverwrittenByIt() {
        String accountId = createAccount();
        String customer = awaitCustomer(accountId);
        String subId = "sub_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        long created = CLOCK.addAndGet(10);
        long updated = CLOCK.addAndGet(10);
        Instant periodEnd = Instant.now().plus(Duration.ofDays(30));
        ObjectNode asCreated = STRIPE.subscription(subId, customer, accountId, "price_basic", "incomplete", periodEnd).deepCopy();
        ObjectNode asUpdated = STRIPE.subscription(subId, customer, accountId, "price_pro", "active", periodEnd).deepCopy();

        deliver(event("evt_" + UUID.randomUUID(), "customer.subscription.updated", updated, asUpdated));
        deliver(event("evt_" + UUID.randomUUID(), "customer.subscription.created", created, asCreated));

        JsonNode sub = subscription(accountId);
        assertThat(sub.path("tier").asString()).isEqualTo("pro");
        assertThat(sub.path("status").asString()).isEqualTo("active");
    }

    @Test
    void aDeletionDeliveredBeforeAnOlderUpdateStaysDeleted() {
        Subscribed s = subscribed("price_pro");
        long updated = CLOCK.addAndGet(10);
        long deleted = CLOCK.addAndGet(10);
        ObjectNode asUpdated = STRIPE.subscriptions.get(s.subscriptionId()).deepCopy();
        ObjectNode asDeleted = asUpdated.deepCopy().put("status", "canceled").put("ended_at", deleted);

        deliver(event("evt_" + UUID.randomUUID(), "customer.subscription.deleted", deleted, asDeleted));
        deliver(event("evt_" + UUID.randomUUID(), "customer.subscription.updated", updated, asUpdated));

        JsonNode sub = subscription(s.accountId());
        assertThat(sub.path("status").asString()).isEqualTo("canceled");
        assertThat(sub.path("tier").asString()).isEqualTo("free");
        assertThat(me(s.accountId()).path("tier").asString()).isEqualTo("free");
    }

    @Test
    void aFailedPaymentKeepsTheTierThroughTheGracePeriodThenDropsToFreeAndMailsTheOwner() throws Exception {
        Subscribed s = subscribed("price_pro");
        ObjectNode invoice = invoice("in_" + UUID.randomUUID(), s, 2000, 0);
        ObjectNode pastDue = STRIPE.subscriptions.get(s.subscriptionId()).deepCopy().put("status", "past_due");

        deliver(event("evt_" + UUID.randomUUID(), "invoice.payment_failed", Instant.now().getEpochSecond(), invoice));
        deliver(event("evt_" + UUID.randomUUID(), "customer.subscription.updated", Instant.now().getEpochSecond(), pastDue));

        JsonNode during = subscription(s.accountId());
        assertThat(during.path("status").asString()).isEqualTo("past_due");
        assertThat(during.path("tier").asString()).isEqualTo("pro");
        assertThat(during.path("graceEndsAt").asString()).isNotBlank();
        await().atMost(Duration.ofSeconds(10)).until(() -> mailsTo(s.email()).stream()
                .anyMatch(m -> subject(m).contains("payment failed")));

        await().atMost(Duration.ofSeconds(10)).until(() -> subscription(s.accountId()).path("tier").asString().equals("free"));
        assertThat(me(s.accountId()).path("tier").asString()).isEqualTo("free");
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaProbe.readAll(Topics.SUBSCRIPTIONS,
                r -> s.accountId().equals(r.key()) && r.value().contains("\"tier\":\"free\"")
                        && r.value().contains("\"status\":\"past_due\""), Duration.ofMillis(300)).size() == 1);

        ObjectNode paid = invoice.deepCopy().put("status", "paid").put("amount_paid", 2000);
        deliver(event("evt_" + UUID.randomUUID(), "invoice.paid", Instant.now().getEpochSecond() + 1, paid));
        assertThat(subscription(s.accountId()).path("tier").asString()).isEqualTo("pro");
        await().atMost(Duration.ofSeconds(10)).until(() -> mailsTo(s.email()).stream()
                .anyMatch(m -> subject(m).contains("Receipt")));
    }

    @Test
    void anUpgradeAppliesAtOnceAndADowngradeWithinTheSamePeriodWaitsForItsEnd() {
        Subscribed s = subscribed("price_basic");
        HttpHeaders owner = TestIdentities.user(s.accountId());

        Reply upgraded = call(HttpMethod.PUT, "/api/v1/billing/subscription", owner, "{\"tier\":\"pro\"}");

        assertThat(upgraded.status()).isEqualTo(200);
        assertThat(upgraded.body().path("tier").asString()).isEqualTo("pro");
        StripeStub.Request upgrade = STRIPE.requests("POST", "/v1/subscriptions/" + s.subscriptionId()).getLast();
        assertThat(upgrade.form()).containsEntry("proration_behavior", "always_invoice").containsEntry("items[0][price]", "price_pro");
        assertThat(upgrade.idempotencyKey()).startsWith("change:" + s.subscriptionId());

        // the paid period ends in a few seconds
        Instant periodEnd = Instant.now().plusSeconds(3);
        ((ObjectNode) STRIPE.subscriptions.get(s.subscriptionId()).path("items").path("data").get(0))
                .put("current_period_end", periodEnd.getEpochSecond());
        Reply downgraded = call(HttpMethod.PUT, "/api/v1/billing/subscription", owner, "{\"tier\":\"basic\"}");

        assertThat(downgraded.status()).isEqualTo(200);
        assertThat(downgraded.body().path("tier").asString()).isEqualTo("pro");
        assertThat(downgraded.body().path("pendingTier").asString()).isEqualTo("basic");
        StripeStub.Request downgrade = STRIPE.requests("POST", "/v1/subscriptions/" + s.subscriptionId()).getLast();
        assertThat(downgrade.form()).containsEntry("proration_behavior", "none").containsEntry("items[0][price]", "price_basic");
        // Stripe's own webhook for the change does not cut the period short
        deliver(event("evt_" + UUID.randomUUID(), "customer.subscription.updated", Instant.now().getEpochSecond(),
                STRIPE.subscriptions.get(s.subscriptionId()).deepCopy()));
        assertThat(subscription(s.accountId()).path("tier").asString()).isEqualTo("pro");

        await().atMost(Duration.ofSeconds(10)).until(() -> subscription(s.accountId()).path("tier").asString().equals("basic"));
        assertThat(subscription(s.accountId()).path("pendingTier").isNull()).isTrue();
        assertThat(me(s.accountId()).path("tier").asString()).isEqualTo("basic");
    }

    @Test
    void cancellingAtPeriodEndKeepsTheTierAndCancellingNowDropsIt() {
        Subscribed s = subscribed("price_pro");
        HttpHeaders owner = TestIdentities.user(s.accountId());

        Reply later = call(HttpMethod.POST, "/api/v1/billing/subscription/cancel", owner, "{\"atPeriodEnd\":true}");
        assertThat(later.body().path("cancelAtPeriodEnd").asBoolean()).isTrue();
        assertThat(later.body().path("tier").asString()).isEqualTo("pro");

        Reply now = call(HttpMethod.POST, "/api/v1/billing/subscription/cancel", owner, "{\"atPeriodEnd\":false}");
        assertThat(now.body().path("status").asString()).isEqualTo("canceled");
        assertThat(now.body().path("tier").asString()).isEqualTo("free");
        assertThat(STRIPE.requests("DELETE", "/v1/subscriptions/" + s.subscriptionId())).hasSize(1);
    }

    @Test
    void invoicesAreListedForTheirAccountOnly() {
        Subscribed s = subscribed("price_basic");
        String invoiceId = "in_" + UUID.randomUUID();
        deliver(event("evt_" + UUID.randomUUID(), "invoice.paid", CLOCK.incrementAndGet(), invoice(invoiceId, s, 900, 900)));

        Reply mine = call(HttpMethod.GET, "/api/v1/billing/invoices", TestIdentities.user(s.accountId()), null);
        Reply others = call(HttpMethod.GET, "/api/v1/billing/invoices", TestIdentities.user(createAccount()), null);

        assertThat(mine.body().path("data").get(0).path("id").asString()).isEqualTo(invoiceId);
        assertThat(mine.body().path("data").get(0).path("amountPaid").asLong()).isEqualTo(900);
        assertThat(others.body().path("data").isEmpty()).isTrue();
    }

    @Test
    void usageIsReportedToStripeInBatchesOnceEvenWhenEventsRepeatAndCallsFail() {
        Subscribed s = subscribed("price_pro");
        STRIPE.failNext("/v1/billing/meter_events", 1);
        UsageRecorded usage1 = usage(s.accountId(), 100, 20);
        UsageRecorded usage2 = usage(s.accountId(), 5, 5);
        // never billed: negative tokens would take 10 off the 30 it reports (dead-lettered instead, with the reason)
        UsageRecorded negative = usage(s.accountId(), -40, 30);

        sendUsage(usage1);
        sendUsage(usage1);
        sendUsage(negative);
        sendUsage(usage2);

        await().atMost(Duration.ofSeconds(20)).until(() -> reportedFor(s.customerId()).stream()
                .mapToLong(r -> Long.parseLong(r.form().get("payload[value]"))).sum() == 130);
        List<StripeStub.Request> reports = reportedFor(s.customerId());
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.form().get("identifier")).startsWith("mb_");
            assertThat(r.idempotencyKey()).isEqualTo(r.form().get("identifier"));
            assertThat(r.form()).containsEntry("event_name", "chat_tokens");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> reconciliation(s.accountId()).path("reportedTokens").asLong() == 130);
        JsonNode line = reconciliation(s.accountId());
        assertThat(line).isNotNull();
        assertThat(line.path("meteredEvents").asLong()).isEqualTo(2);
        assertThat(line.path("meteredTokens").asLong()).isEqualTo(130);
        assertThat(line.path("reportedTokens").asLong()).isEqualTo(130);
        assertThat(line.path("unreportedTokens").asLong()).isZero();
        assertThat(jdbc.sql("select consumer || ': ' || reason from dead_letters where event_id = :id")
                .param("id", EventIds.of(UsageRecorded.TYPE, negative.requestId())).query(String.class).list())
                .containsExactly("billing-service.metering: invalid usage.recorded.v1: inputTokens is negative");
    }

    @Test
    void embeddingsUsageIsMeteredOnceWithItsKindButNotReportedOnTheChatTokensMeter() {
        Subscribed s = subscribed("price_pro");
        UsageRecorded embeddings = new UsageRecorded("req_" + UUID.randomUUID(), s.accountId(), "k_test", "sim-embed-1",
                "simulated", 40, 0, 0, 1, false, UsageRecorded.Outcome.COMPLETED, false, 12, null, Instant.now(),
                UsageRecorded.Kind.EMBEDDINGS);
        UsageRecorded chat = usage(s.accountId(), 5, 5);

        sendUsage(embeddings);
        sendUsage(embeddings);
        sendUsage(chat); // same key, same partition: once it is reported, the embeddings copies were handled

        await().atMost(Duration.ofSeconds(20)).until(() -> reconciliation(s.accountId()) != null
                && reconciliation(s.accountId()).path("reportedTokens").asLong() == 10);
        JsonNode line = reconciliation(s.accountId());
        assertThat(line.path("embeddingEvents").asLong()).isEqualTo(1);
        assertThat(line.path("embeddingTokens").asLong()).as("input tokens only").isEqualTo(40);
        assertThat(line.path("meteredEvents").asLong()).isEqualTo(1);
        assertThat(line.path("meteredTokens").asLong()).isEqualTo(10);
        assertThat(line.path("unreportedTokens").asLong()).isZero();
        assertThat(reportedFor(s.customerId()).stream().mapToLong(r -> Long.parseLong(r.form().get("payload[value]")))
                .sum()).isEqualTo(10);
        assertThat(jdbc.sql("select kind from metered_usage where event_id = :id")
                .param("id", EventIds.of(UsageRecorded.TYPE, embeddings.requestId())).query(String.class).single())
                .isEqualTo("EMBEDDINGS");
    }

    @Test
    void aDeletedCustomerIsCreatedAgainUnderANewIdempotencyKeyAndALateOrRepeatedDeletionChangesNothing() {
        Subscribed s = subscribed("price_pro");
        ObjectNode gone = customer(s.customerId(), s.accountId());
        STRIPE.failNextCustomer(s.email(), 3); // the first attempt fails (stripe-java retries twice): the job retries it

        deliver(event("evt_" + UUID.randomUUID(), "customer.deleted", CLOCK.incrementAndGet(), gone));
        // an older Checkout completion for the deleted customer, delivered late, does not bring it back
        ObjectNode lateSession = json.createObjectNode().put("id", "cs_test_late_" + UUID.randomUUID())
                .put("object", "checkout.session").put("mode", "subscription").put("customer", s.customerId())
                .put("client_reference_id", s.accountId()).put("status", "complete");
        deliver(event("evt_" + UUID.randomUUID(), "checkout.session.completed", CLOCK.get() - 100, lateSession));

        await().atMost(Duration.ofSeconds(15)).until(() -> customerOf(s.accountId()).filter(c -> !c.equals(s.customerId())).isPresent());
        String next = customerOf(s.accountId()).orElseThrow();
        String newKey = "customer:" + s.accountId() + ":g1";
        List<StripeStub.Request> creations = customerCreations(s.accountId());
        assertThat(creations).extracting(StripeStub.Request::idempotencyKey)
                .containsOnly("customer:" + s.accountId(), newKey).contains(newKey);
        assertThat(creations.stream().filter(r -> newKey.equals(r.idempotencyKey()))).hasSizeGreaterThan(3); // a job retry
        JsonNode sub = subscription(s.accountId());
        assertThat(sub.path("status").asString()).isEqualTo("canceled");
        assertThat(sub.path("tier").asString()).isEqualTo("free");

        // the same deletion again (a new event id, as a replay from the dashboard would have) and late
        deliver(event("evt_" + UUID.randomUUID(), "customer.deleted", CLOCK.incrementAndGet(), gone));
        deliver(event("evt_" + UUID.randomUUID(), "customer.deleted", CLOCK.get() - 50, gone));

        assertThat(customerOf(s.accountId())).hasValue(next);
        Reply checkout = call(HttpMethod.POST, "/api/v1/billing/checkout", TestIdentities.user(s.accountId()),
                "{\"tier\":\"basic\"}");
        assertThat(checkout.status()).as(checkout.raw()).isEqualTo(200);
        StripeStub.Request session = STRIPE.requests("POST", "/v1/checkout/sessions").stream()
                .filter(r -> s.accountId().equals(r.form().get("client_reference_id"))).toList().getLast();
        assertThat(session.form()).containsEntry("customer", next);
        assertThat(customerCreations(s.accountId())).hasSameSizeAs(creations);
    }

    @Test
    void deletingTheCustomerOfADeletedAccountCreatesNoNewOne() {
        Subscribed s = subscribed("price_basic");
        assertThat(call(HttpMethod.DELETE, "/api/v1/admin/accounts/" + s.accountId(), ADMIN, null).status()).isEqualTo(204);
        int before = customerCreations(s.accountId()).size();

        deliver(event("evt_" + UUID.randomUUID(), "customer.deleted", CLOCK.incrementAndGet(),
                customer(s.customerId(), s.accountId())));

        assertThat(customerOf(s.accountId())).isEmpty();
        assertThat(jdbc.sql("select count(*) from scheduled_tasks where task_name = 'stripe-customer' and task_instance like :key")
                .param("key", "customer:" + s.accountId() + "%").query(Integer.class).single()).isZero();
        assertThat(customerCreations(s.accountId())).hasSize(before);
    }

    @Test
    void theMonthlyPriceIsPublishedWhileAPaidTierIsInForceAndFollowsPlanChanges() {
        Subscribed s = subscribed("price_pro");
        HttpHeaders owner = TestIdentities.user(s.accountId());

        assertThat(subscription(s.accountId()).path("monthlyAmount").asLong()).isEqualTo(2900);
        assertThat(subscription(s.accountId()).path("currency").asString()).isEqualTo("usd");
        awaitSubscriptionEvent(s.accountId(), e -> e.path("tier").asString().equals("pro")
                && e.path("monthlyAmount").asLong() == 2900 && e.path("currency").asString().equals("usd"));

        // enterprise is 1,200.05 USD a year: 10,000 cents a month, rounded down
        Reply upgraded = call(HttpMethod.PUT, "/api/v1/billing/subscription", owner, "{\"tier\":\"enterprise\"}");
        assertThat(upgraded.body().path("monthlyAmount").asLong()).isEqualTo(10_000);
        awaitSubscriptionEvent(s.accountId(), e -> e.path("tier").asString().equals("enterprise")
                && e.path("monthlyAmount").asLong() == 10_000);

        // three seats of enterprise, as the Customer Portal would change it
        ObjectNode seats = STRIPE.subscriptions.get(s.subscriptionId()).deepCopy();
        ((ObjectNode) seats.path("items").path("data").get(0)).put("quantity", 3);
        deliver(event("evt_" + UUID.randomUUID(), "customer.subscription.updated", Instant.now().getEpochSecond(), seats));
        assertThat(subscription(s.accountId()).path("monthlyAmount").asLong()).isEqualTo(30_001);

        Reply canceled = call(HttpMethod.POST, "/api/v1/billing/subscription/cancel", owner, "{\"atPeriodEnd\":false}");
        assertThat(canceled.body().path("tier").asString()).isEqualTo("free");
        assertThat(canceled.body().hasNonNull("monthlyAmount")).isFalse();
        awaitSubscriptionEvent(s.accountId(), e -> e.path("tier").asString().equals("free")
                && !e.hasNonNull("monthlyAmount") && !e.hasNonNull("currency"));
    }

    @Test
    void inStripeModeAdminsAssignTiersOnlyToAccountsThatDoNotPayThroughStripe() {
        Subscribed paying = subscribed("price_basic");
        Reply refused = call(HttpMethod.PUT, "/api/v1/admin/accounts/" + paying.accountId() + "/tier", ADMIN, "{\"tier\":\"pro\"}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("error").path("code").asString()).isEqualTo("managed_by_stripe");
        assertThat(subscription(paying.accountId()).path("tier").asString()).isEqualTo("basic");

        String arranged = createAccount();
        awaitCustomer(arranged);
        Reply assigned = call(HttpMethod.PUT, "/api/v1/admin/accounts/" + arranged + "/tier", ADMIN, "{\"tier\":\"pro\"}");

        assertThat(assigned.status()).as(assigned.raw()).isEqualTo(200);
        assertThat(subscription(arranged).path("tier").asString()).isEqualTo("pro");
        assertThat(subscription(arranged).path("source").asString()).isEqualTo("local");
    }

    // ---- helpers ----

    private Reply webhookEvents(String query, HttpHeaders caller) {
        return call(HttpMethod.GET, "/api/v1/admin/billing/webhook-events" + query, caller, null);
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list.path("data")) {
            if (item.path("id").asString().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " is not in " + list);
    }

    private Reply job(String id) {
        return call(HttpMethod.GET, "/api/v1/admin/jobs/" + id, ADMIN, null);
    }

    /** A job that completed is deleted: the admin API no longer knows it. */
    private void awaitGone(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> job(id).status() == 404);
    }

    private JsonNode awaitJob(String id, String state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Reply reply = job(id);
            return reply.status() == 200 && reply.body().path("state").asString().equals(state);
        });
        return job(id).body();
    }

    private List<StripeStub.Request> meterCalls(String customer) {
        return STRIPE.requests("POST", "/v1/billing/meter_events").stream()
                .filter(r -> customer.equals(r.form().get("payload[stripe_customer_id]"))).toList();
    }

    private static List<String> ids(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.path("data").spliterator(), false)
                .map(j -> j.path("id").asString()).toList();
    }

    private java.util.Optional<String> batchOf(String accountId) {
        return jdbc.sql("select id from meter_batches where account_id = cast(:id as uuid)").param("id", accountId)
                .query(String.class).optional();
    }

    private JsonNode reconciliation(String accountId) {
        for (JsonNode line : call(HttpMethod.GET, "/api/v1/admin/billing/reconciliation", ADMIN, null).body().path("accounts")) {
            if (line.path("accountId").asString().equals(accountId)) {
                return line;
            }
        }
        return json.createObjectNode();
    }

    record Subscribed(String accountId, String email, String customerId, String subscriptionId) {
    }

    /** An account with an active subscription on {@code price}, reached through checkout.session.completed. */
    private Subscribed subscribed(String price) {
        String email = "sub-" + UUID.randomUUID() + "@example.com";
        String accountId = createAccount(email);
        String customer = awaitCustomer(accountId);
        String subId = "sub_" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
        STRIPE.subscription(subId, customer, accountId, price, "active", Instant.now().plus(Duration.ofDays(30)));
        ObjectNode session = json.createObjectNode().put("id", "cs_test_" + subId).put("object", "checkout.session")
                .put("mode", "subscription").put("customer", customer).put("subscription", subId)
                .put("client_reference_id", accountId).put("status", "complete");
        deliver(event("evt_" + UUID.randomUUID(), "checkout.session.completed", CLOCK.incrementAndGet(), session));
        await().until(() -> subscription(accountId).path("status").asString().equals("active"));
        return new Subscribed(accountId, email, customer, subId);
    }

    private void awaitSubscriptionEvent(String accountId, java.util.function.Predicate<JsonNode> matches) {
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaProbe.readAll(Topics.SUBSCRIPTIONS,
                r -> accountId.equals(r.key()) && matches.test(json.readTree(r.value())), Duration.ofMillis(300)).size() >= 1);
    }

    /** A customer object as a customer.deleted event carries it. */
    private ObjectNode customer(String id, String accountId) {
        ObjectNode customer = json.createObjectNode().put("id", id).put("object", "customer")
                .put("created", CLOCK.get() - 1000).put("livemode", false).put("email", (String) null);
        customer.putObject("metadata").put("account_id", accountId);
        return customer;
    }

    private java.util.Optional<String> customerOf(String accountId) {
        return jdbc.sql("select stripe_customer_id from accounts where id = cast(:id as uuid)").param("id", accountId)
                .query(String.class).optional();
    }

    private List<StripeStub.Request> customerCreations(String accountId) {
        return STRIPE.requests("POST", "/v1/customers").stream()
                .filter(r -> accountId.equals(r.form().get("metadata[account_id]"))).toList();
    }

    private ObjectNode invoice(String id, Subscribed s, long due, long paid) {
        ObjectNode invoice = json.createObjectNode().put("id", id).put("object", "invoice").put("customer", s.customerId())
                .put("subscription", s.subscriptionId()).put("currency", "usd").put("amount_due", due)
                .put("amount_paid", paid).put("attempt_count", 1).put("status", paid >= due ? "paid" : "open")
                .put("hosted_invoice_url", "https://invoice.stripe.com/i/" + id).put("created", Instant.now().getEpochSecond());
        return invoice;
    }

    private String event(String id, String type, long created, JsonNode object) {
        ObjectNode event = json.createObjectNode().put("id", id).put("object", "event").put("api_version", "2025-08-27.basil")
                .put("created", created).put("livemode", false).put("pending_webhooks", 1).put("type", type);
        event.putObject("request").putNull("id").putNull("idempotency_key");
        event.putObject("data").set("object", object);
        return json.writeValueAsString(event);
    }

    /** Delivers a signed event and waits until it is processed. */
    private void deliver(String payload) {
        Reply reply = webhook(payload, sign(payload));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        String id = json.readTree(payload).path("id").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select processed_at is not null from stripe_events where id = :id")
                .param("id", id).query(Boolean.class).single());
    }

    private static String sign(String payload) {
        return sign(payload, Instant.now().getEpochSecond(), WEBHOOK_SECRET);
    }

    private static String sign(String payload, long timestamp, String secret) {
        return "t=" + timestamp + ",v1=" + hmac(timestamp + "." + payload, secret);
    }

    private static String hmac(String data, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply webhook(String payload, String signature) {
        HttpHeaders headers = new HttpHeaders();
        if (signature != null) {
            headers.set("Stripe-Signature", signature);
        }
        return call(HttpMethod.POST, "/webhooks/stripe", headers, payload);
    }

    private String awaitCustomer(String accountId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.sql("select stripe_customer_id from accounts where id = cast(:id as uuid)")
                .param("id", accountId).query(String.class).optional().isPresent());
        return jdbc.sql("select stripe_customer_id from accounts where id = cast(:id as uuid)").param("id", accountId)
                .query(String.class).single();
    }

    private List<StripeStub.Request> reportedFor(String customer) {
        return STRIPE.requests("POST", "/v1/billing/meter_events").stream()
                .filter(r -> customer.equals(r.form().get("payload[stripe_customer_id]"))).toList().stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.form().get("identifier"), r -> r, (a, b) -> a))
                .values().stream().toList();
    }

    private static UsageRecorded usage(String accountId, long in, long out) {
        return new UsageRecorded("req_" + UUID.randomUUID(), accountId, "k_test", "sim-1", "simulated", in, 0, out, 10,
                false, UsageRecorded.Outcome.COMPLETED, false, 12, null, Instant.now());
    }

    private void sendUsage(UsageRecorded usage) {
        ProducerRecord<String, String> record = new ProducerRecord<>(UsageRecorded.TYPE.topic(), usage.accountId(),
                json.writeValueAsString(usage));
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(record, CloudEventHeaders.ID, EventIds.of(UsageRecorded.TYPE, usage.requestId()));
        header(record, CloudEventHeaders.TYPE, UsageRecorded.TYPE.name());
        header(record, CloudEventHeaders.SOURCE, "chat-service");
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(record, CloudEventHeaders.SUBJECT, usage.accountId());
        KafkaProbe.send(record);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private List<MimeMessage> mailsTo(String email) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(email));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return "";
        }
    }

    private JsonNode subscription(String accountId) {
        return call(HttpMethod.GET, "/api/v1/billing/subscription", TestIdentities.user(accountId), null).body();
    }

    private JsonNode me(String accountId) {
        return call(HttpMethod.GET, "/api/v1/accounts/me", TestIdentities.user(accountId), null).body();
    }

    private String createAccount() {
        return createAccount("user-" + UUID.randomUUID() + "@example.com");
    }

    private String createAccount(String email) {
        Reply reply = call(HttpMethod.POST, "/api/v1/admin/accounts", ADMIN, "{\"email\":\"" + email + "\"}");
        assertThat(reply.status()).isEqualTo(201);
        return reply.body().path("id").asString();
    }

    private Reply call(HttpMethod method, String path, HttpHeaders headers, String body) {
        RestClient.RequestBodySpec request = RestClient.create("http://localhost:" + port).method(method).uri(path)
                .headers(h -> h.addAll(headers));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.exchange((req, res) -> {
            String raw = res.bodyTo(String.class);
            return new Reply(res.getStatusCode().value(), raw == null || raw.isEmpty() ? null : json.readTree(raw), raw);
        });
    }

    private record Reply(int status, JsonNode body, String raw) {
    }
}

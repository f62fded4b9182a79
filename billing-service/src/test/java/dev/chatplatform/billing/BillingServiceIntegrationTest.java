package dev.chatplatform.billing;

import dev.chatplatform.billing.apikey.ApiKeySecret;
import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.contracts.billing.Topics;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@PlatformIntegrationTest
// two contexts (local and Stripe mode): each closes while the shared broker still runs, not in a JVM shutdown hook
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BillingServiceIntegrationTest {

    private static final HttpHeaders ADMIN = TestIdentities.admin("platform-admin");
    private static final HttpHeaders NOBODY = new HttpHeaders();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Test
    void accountCreationIsIdempotentByEmailAndPublishesTheAccountOnce() {
        String email = "Ada-" + UUID.randomUUID() + "@Example.com";

        Reply created = call(HttpMethod.POST, "/api/v1/admin/accounts", ADMIN,
                "{\"email\":\"" + email + "\",\"name\":\"Ada\",\"tier\":\"pro\"}");
        Reply again = call(HttpMethod.POST, "/api/v1/admin/accounts", ADMIN,
                "{\"email\":\"" + email.toLowerCase() + "\",\"name\":\"Someone else\"}");

        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("id").asString();
        assertThat(created.body().path("email").asString()).isEqualTo(email.toLowerCase());
        assertThat(created.body().path("name").asString()).isEqualTo("Ada");
        assertThat(created.body().path("tier").asString()).isEqualTo("pro");
        assertThat(created.body().path("status").asString()).isEqualTo("active");
        assertThat(created.body().path("createdAt").asString()).isNotBlank();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(created.body());

        Reply me = call(HttpMethod.GET, "/api/v1/accounts/me", TestIdentities.user(id), null);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body()).isEqualTo(created.body());

        ConsumerRecord<String, String> event = awaitEvents(Topics.ACCOUNTS, id, 1).getFirst();
        assertCloudEventHeaders(event, AccountChanged.TYPE.name(), EventIds.of(AccountChanged.TYPE, id + ":v1"), id);
        JsonNode data = json.readTree(event.value());
        assertThat(data.path("accountId").asString()).isEqualTo(id);
        assertThat(data.path("email").asString()).isEqualTo(email.toLowerCase());
        assertThat(data.path("tier").asString()).isEqualTo("pro");
        assertThat(data.path("status").asString()).isEqualTo("active");
        assertThat(data.path("version").asLong()).isEqualTo(1);
    }

    @Test
    void concurrentCreationOfTheSameEmailMakesOneAccount() throws Exception {
        String email = "race-" + UUID.randomUUID() + "@example.com";
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return call(HttpMethod.POST, "/api/v1/admin/accounts", ADMIN, "{\"email\":\"" + email + "\"}");
                }));
            }
            start.countDown();
        }

        List<Reply> done = new ArrayList<>();
        for (Future<Reply> reply : replies) {
            done.add(reply.get());
        }
        assertThat(done).extracting(Reply::status).containsOnly(200, 201).filteredOn(s -> s == 201).hasSize(1);
        assertThat(done).extracting(r -> r.body().path("id").asString()).containsOnly(done.getFirst().body().path("id").asString());
        assertThat(jdbc.sql("select count(*) from accounts where email = :email").param("email", email)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from outbox_events where record_key = :id")
                .param("id", done.getFirst().body().path("id").asString()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void keySecretIsReturnedOnceAndStoredOnlyAsItsHash() {
        String accountId = createAccount();

        Reply created = call(HttpMethod.POST, "/api/v1/admin/accounts/" + accountId + "/api-keys", ADMIN,
                "{\"name\":\"laptop\",\"scopes\":[\"chat\"]}");

        assertThat(created.status()).isEqualTo(201);
        String secret = created.body().path("key").asString();
        String keyId = created.body().path("id").asString();
        assertThat(secret).matches("sk-cp-[A-Za-z0-9_-]{43}");
        assertThat(keyId).matches("k_[0-9a-f]{16}");
        assertThat(created.body().path("prefix").asString()).isEqualTo(secret.substring(0, 12));
        assertThat(created.body().path("name").asString()).isEqualTo("laptop");
        assertThat(created.body().path("scopes").values()).extracting(JsonNode::asString).containsExactly("chat");

        Reply listed = call(HttpMethod.GET, "/api/v1/api-keys", TestIdentities.user(accountId), null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.raw()).doesNotContain(secret);
        JsonNode key = listed.body().path("data").get(0);
        assertThat(key.path("id").asString()).isEqualTo(keyId);
        assertThat(key.path("status").asString()).isEqualTo("active");
        assertThat(key.has("key")).isFalse();

        assertThat(jdbc.sql("select secret_hash from api_keys where id = :id").param("id", keyId)
                .query(String.class).single()).isEqualTo(ApiKeySecret.sha256Hex(secret));
        assertThat(jdbc.sql("select count(*) from api_keys k where row_to_json(k)::text like '%' || :secret || '%'")
                .param("secret", secret).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from outbox_events where payload like '%' || :secret || '%'")
                .param("secret", secret).query(Integer.class).single()).isZero();
    }

    @Test
    void everyKeyVersionIsPublishedAndRevokingTwiceChangesNothingMore() {
        String accountId = createAccount();
        HttpHeaders owner = TestIdentities.user(accountId);
        Reply created = call(HttpMethod.POST, "/api/v1/api-keys", owner, "{\"name\":\"ci\"}");
        String keyId = created.body().path("id").asString();
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("scopes").values()).extracting(JsonNode::asString).containsExactly("chat");

        assertThat(call(HttpMethod.DELETE, "/api/v1/api-keys/" + keyId, owner, null).status()).isEqualTo(204);
        assertThat(call(HttpMethod.DELETE, "/api/v1/api-keys/" + keyId, owner, null).status()).isEqualTo(204);

        JsonNode listed = call(HttpMethod.GET, "/api/v1/api-keys", owner, null).body().path("data").get(0);
        assertThat(listed.path("status").asString()).isEqualTo("revoked");
        assertThat(listed.path("revokedAt").asString()).isNotBlank();

        List<ConsumerRecord<String, String>> events = awaitEvents(Topics.API_KEYS, keyId, 2);
        events.sort(Comparator.comparingLong(r -> json.readTree(r.value()).path("version").asLong()));
        assertCloudEventHeaders(events.get(0), ApiKeyChanged.TYPE.name(), EventIds.of(ApiKeyChanged.TYPE, keyId + ":v1"), accountId);
        assertCloudEventHeaders(events.get(1), ApiKeyChanged.TYPE.name(), EventIds.of(ApiKeyChanged.TYPE, keyId + ":v2"), accountId);
        JsonNode first = json.readTree(events.get(0).value());
        JsonNode second = json.readTree(events.get(1).value());
        String secretHash = ApiKeySecret.sha256Hex(created.body().path("key").asString());
        assertThat(first.path("keyId").asString()).isEqualTo(keyId);
        assertThat(first.path("accountId").asString()).isEqualTo(accountId);
        assertThat(first.path("secretHash").asString()).isEqualTo(secretHash);
        assertThat(first.path("prefix").asString()).isEqualTo(created.body().path("prefix").asString());
        assertThat(first.path("status").asString()).isEqualTo("active");
        assertThat(first.path("version").asLong()).isEqualTo(1);
        assertThat(first.path("revokedAt").isNull()).isTrue();
        assertThat(second.path("secretHash").asString()).isEqualTo(secretHash);
        assertThat(second.path("status").asString()).isEqualTo("revoked");
        assertThat(second.path("version").asLong()).isEqualTo(2);
        assertThat(second.path("revokedAt").asString()).isNotBlank();
        // the second DELETE enqueued nothing
        assertThat(jdbc.sql("select count(*) from outbox_events where record_key = :id").param("id", keyId)
                .query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void anotherAccountsKeyIsAnsweredAsIfItDidNotExist() {
        String owner = createAccount();
        String stranger = createAccount();
        String keyId = call(HttpMethod.POST, "/api/v1/api-keys", TestIdentities.user(owner), "{}")
                .body().path("id").asString();

        Reply foreign = call(HttpMethod.DELETE, "/api/v1/api-keys/" + keyId, TestIdentities.user(stranger), null);
        Reply unknown = call(HttpMethod.DELETE, "/api/v1/api-keys/k_0000000000000000", TestIdentities.user(stranger), null);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().path("error").path("code").asString()).isEqualTo("api_key_not_found");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").path("code").asString()).isEqualTo("api_key_not_found");
        assertThat(call(HttpMethod.DELETE, "/api/v1/api-keys/not-a-key", TestIdentities.user(stranger), null)
                .status()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/v1/api-keys", TestIdentities.user(stranger), null)
                .body().path("data").isEmpty()).isTrue();
        assertThat(jdbc.sql("select status from api_keys where id = :id").param("id", keyId)
                .query(String.class).single()).isEqualTo("active");
    }

    @Test
    void callerCannotGrantAScopeItDoesNotHold() {
        String accountId = createAccount();

        Reply reply = call(HttpMethod.POST, "/api/v1/api-keys", TestIdentities.user(accountId),
                "{\"scopes\":[\"chat\",\"admin\"]}");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body().path("error").path("code").asString()).isEqualTo("insufficient_scope");
        assertThat(jdbc.sql("select count(*) from api_keys where account_id = cast(:id as uuid)").param("id", accountId)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void adminEndpointsRequireTheAdminScopeBeforeLookingAtTheBody() {
        String accountId = createAccount();
        HttpHeaders chat = TestIdentities.user(accountId);

        Reply account = call(HttpMethod.POST, "/api/v1/admin/accounts", chat, "{\"email\":\"x@example.com\"}");
        Reply key = call(HttpMethod.POST, "/api/v1/admin/accounts/" + accountId + "/api-keys", chat, "{\"scopes\":[]}");

        assertThat(account.status()).isEqualTo(403);
        assertThat(account.body().path("error").path("code").asString()).isEqualTo("insufficient_scope");
        assertThat(account.body().path("error").path("type").asString()).isEqualTo("permission_error");
        assertThat(key.status()).isEqualTo(403);
        assertThat(key.body().path("error").path("code").asString()).isEqualTo("insufficient_scope");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        String keys = "/api/v1/admin/accounts/" + createAccount() + "/api-keys";
        String longName = "n".repeat(101);

        assertRefused("/api/v1/admin/accounts", "{\"email\":\"not-an-email\"}", "email");
        assertRefused("/api/v1/admin/accounts", "{\"name\":\"No e-mail\"}", "email");
        assertRefused("/api/v1/admin/accounts", "{\"email\":\"a@example.com\",\"tier\":\"gold\"}", "tier");
        assertRefused("/api/v1/admin/accounts", "{\"email\":\"a@example.com\",\"name\":\"" + longName + "\"}", "name");
        assertRefused("/api/v1/admin/accounts", "{\"email\":[1]}", "email");
        assertRefused(keys, "{\"scopes\":[]}", "scopes");
        assertRefused(keys, "{\"scopes\":[\"root\"]}", "scopes[0]");
        assertRefused(keys, "{\"name\":\"" + longName + "\"}", "name");
        Reply malformed = call(HttpMethod.POST, keys, ADMIN, "{\"name\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("error").path("code").asString()).isEqualTo("invalid_json");
        assertThat(jdbc.sql("select count(*) from accounts where email = 'a@example.com'").query(Integer.class).single()).isZero();
    }

    @Test
    void accountsThatDoNotExistAreNotFound() {
        Reply me = call(HttpMethod.GET, "/api/v1/accounts/me", ADMIN, null);
        Reply key = call(HttpMethod.POST, "/api/v1/admin/accounts/" + UUID.randomUUID() + "/api-keys", ADMIN, "{}");

        assertThat(me.status()).isEqualTo(404);
        assertThat(me.body().path("error").path("code").asString()).isEqualTo("account_not_found");
        assertThat(key.status()).isEqualTo(404);
        assertThat(key.body().path("error").path("code").asString()).isEqualTo("account_not_found");
    }

    @Test
    void callersWithoutAGatewayIdentityAreRefused() {
        Reply me = call(HttpMethod.GET, "/api/v1/accounts/me", NOBODY, null);
        Reply admin = call(HttpMethod.POST, "/api/v1/admin/accounts", NOBODY, "{\"email\":\"a@example.com\"}");
        HttpHeaders forged = new HttpHeaders();
        forged.set("X-Platform-Identity", "eyJzdWIiOiJ4In0.forged");
        Reply keys = call(HttpMethod.GET, "/api/v1/api-keys", forged, null);

        assertThat(List.of(me, admin, keys)).allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.body().path("error").path("code").asString()).isEqualTo("unauthenticated");
        });
    }

    @Test
    void oidcSignUpIsIdempotentBySubjectAndPublishesTheSubjectMapping() {
        String subject = "auth0|" + UUID.randomUUID();
        HttpHeaders oidc = oidcCaller(subject);
        oidc.set("X-Platform-Oidc-Email", "Grace-" + subject.substring(6) + "@Example.com");

        Reply created = call(HttpMethod.POST, "/api/v1/accounts", oidc, "{\"name\":\"Grace\"}");
        Reply again = call(HttpMethod.POST, "/api/v1/accounts", oidcCaller(subject), "{}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("email").asString()).isEqualTo(("grace-" + subject.substring(6) + "@example.com").toLowerCase());
        assertThat(created.body().path("tier").asString()).isEqualTo("free");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("id").asString()).isEqualTo(created.body().path("id").asString());
        ConsumerRecord<String, String> link = awaitEvents(Topics.OIDC_SUBJECTS, subject, 1).getFirst();
        JsonNode data = json.readTree(link.value());
        assertThat(data.path("accountId").asString()).isEqualTo(created.body().path("id").asString());
        assertThat(data.path("status").asString()).isEqualTo("active");
    }

    @Test
    void aVerifiedEmailLinksItsExistingAccountButAnUnverifiedOneDoesNot() {
        String email = "linked-" + UUID.randomUUID() + "@example.com";
        String existing = call(HttpMethod.POST, "/api/v1/admin/accounts", ADMIN, "{\"email\":\"" + email + "\"}")
                .body().path("id").asString();

        Reply unverified = call(HttpMethod.POST, "/api/v1/accounts", oidcCaller("sub-" + UUID.randomUUID()),
                "{\"email\":\"" + email + "\"}");
        HttpHeaders verified = oidcCaller("sub-" + UUID.randomUUID());
        verified.set("X-Platform-Oidc-Email", email);
        Reply linked = call(HttpMethod.POST, "/api/v1/accounts", verified, "{}");

        assertThat(unverified.status()).isEqualTo(409);
        assertThat(unverified.body().path("error").path("code").asString()).isEqualTo("email_taken");
        assertThat(linked.status()).isEqualTo(200);
        assertThat(linked.body().path("id").asString()).isEqualTo(existing);
    }

    @Test
    void signUpWithoutOidcOrAdminReturnsTheCallersOwnAccount() {
        String accountId = createAccount();

        Reply reply = call(HttpMethod.POST, "/api/v1/accounts", TestIdentities.user(accountId), "{}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("id").asString()).isEqualTo(accountId);
    }

    @Test
    void inLocalModeNoPlanIsForSale() {
        String accountId = createAccount();

        Reply reply = call(HttpMethod.GET, "/api/v1/billing/plans", TestIdentities.user(accountId), null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("mode").asString()).isEqualTo("local");
        assertThat(reply.body().path("data").findValuesAsString("tier"))
                .containsExactly("free", "basic", "pro", "enterprise");
        assertThat(reply.body().path("data").findValues("forSale")).allMatch(v -> !v.asBoolean());
        assertThat(call(HttpMethod.GET, "/api/v1/billing/plans", NOBODY, null).status()).isEqualTo(401);
    }

    @Test
    void theOwnerRenamesTheAccountButOnlyAnAdminSuspendsIt() {
        String accountId = createAccount();
        HttpHeaders owner = TestIdentities.user(accountId);

        Reply renamed = call(HttpMethod.PATCH, "/api/v1/accounts/me", owner, "{\"name\":\"Ada L.\"}");
        Reply selfSuspend = call(HttpMethod.PATCH, "/api/v1/accounts/me", owner, "{\"status\":\"suspended\"}");
        Reply suspended = call(HttpMethod.PATCH, "/api/v1/admin/accounts/" + accountId, ADMIN, "{\"status\":\"suspended\"}");

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().path("name").asString()).isEqualTo("Ada L.");
        assertThat(selfSuspend.status()).isEqualTo(403);
        assertThat(suspended.body().path("status").asString()).isEqualTo("suspended");
        List<ConsumerRecord<String, String>> events = awaitEvents(Topics.ACCOUNTS, accountId, 3);
        assertThat(events).extracting(r -> json.readTree(r.value()).path("version").asLong()).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    @Test
    void deletingAnAccountErasesItRevokesItsKeysAndPublishesTheDeletedState() {
        String accountId = createAccount();
        HttpHeaders owner = TestIdentities.user(accountId);
        String keyId = call(HttpMethod.POST, "/api/v1/api-keys", owner, "{}").body().path("id").asString();

        assertThat(call(HttpMethod.DELETE, "/api/v1/accounts/me", owner, null).status()).isEqualTo(204);
        assertThat(call(HttpMethod.DELETE, "/api/v1/admin/accounts/" + accountId, ADMIN, null).status()).isEqualTo(204);

        JsonNode account = call(HttpMethod.GET, "/api/v1/admin/accounts/" + accountId, ADMIN, null).body();
        assertThat(account.path("status").asString()).isEqualTo("deleted");
        assertThat(account.path("email").asString()).endsWith("@deleted.invalid");
        assertThat(account.path("name").isNull()).isTrue();
        assertThat(jdbc.sql("select status from api_keys where id = :id").param("id", keyId).query(String.class).single())
                .isEqualTo("revoked");
        List<ConsumerRecord<String, String>> events = awaitEvents(Topics.ACCOUNTS, accountId, 2);
        assertThat(events).anySatisfy(r -> assertThat(json.readTree(r.value()).path("status").asString()).isEqualTo("deleted"));
        awaitEvents(Topics.API_KEYS, keyId, 2);
    }

    @Test
    void adminsListAccountsPageByPage() {
        createAccount();
        createAccount();
        createAccount();

        JsonNode first = call(HttpMethod.GET, "/api/v1/admin/accounts?limit=2", ADMIN, null).body();
        String last = first.path("data").get(1).path("id").asString();
        JsonNode second = call(HttpMethod.GET, "/api/v1/admin/accounts?limit=2&after=" + last, ADMIN, null).body();

        assertThat(first.path("data").size()).isEqualTo(2);
        assertThat(first.path("hasMore").asBoolean()).isTrue();
        assertThat(second.path("data").get(0).path("id").asString()).isNotIn(first.path("data").get(0).path("id").asString(), last);
        assertThat(call(HttpMethod.GET, "/api/v1/admin/accounts?limit=0", ADMIN, null).status()).isEqualTo(400);
        assertThat(call(HttpMethod.GET, "/api/v1/admin/accounts", TestIdentities.user(last), null).status()).isEqualTo(403);
    }

    @Test
    void operatorsFindAnAccountByEmailNameOrIdAndSeeItsKeysAndInvoices() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        Reply created = call(HttpMethod.POST, "/api/v1/admin/accounts", ADMIN,
                "{\"email\":\"Find-" + marker + "@example.com\",\"name\":\"Ada Lovelace-" + marker + "\"}");
        String accountId = created.body().path("id").asString();
        createAccount();
        call(HttpMethod.POST, "/api/v1/admin/accounts/" + accountId + "/api-keys", ADMIN, "{\"name\":\"ci\",\"scopes\":[\"chat\"]}");
        String analyst = "analyst-" + marker;

        JsonNode byEmail = call(HttpMethod.GET, "/api/v1/admin/accounts?q=find-" + marker.toUpperCase(),
                TestIdentities.analyst(analyst), null).body();
        JsonNode byName = call(HttpMethod.GET, "/api/v1/admin/accounts?q=lovelace-" + marker, ADMIN, null).body();
        JsonNode byId = call(HttpMethod.GET, "/api/v1/admin/accounts?q=" + accountId.toUpperCase(), ADMIN, null).body();
        JsonNode wildcard = call(HttpMethod.GET, "/api/v1/admin/accounts?q=Lovelace_" + marker, ADMIN, null).body();
        Reply keys = call(HttpMethod.GET, "/api/v1/admin/accounts/" + accountId + "/api-keys", TestIdentities.analyst(analyst), null);
        Reply invoices = call(HttpMethod.GET, "/api/v1/admin/accounts/" + accountId + "/invoices", TestIdentities.analyst(analyst), null);

        assertThat(byEmail.path("data").findValuesAsString("id")).containsExactly(accountId);
        assertThat(byName.path("data").findValuesAsString("id")).containsExactly(accountId);
        assertThat(byId.path("data").findValuesAsString("id")).containsExactly(accountId);
        assertThat(wildcard.path("data").size()).as("_ (and %%) are matched as text, not as wildcards").isZero();
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.body().path("data").findValuesAsString("name")).containsExactly("ci");
        assertThat(keys.body().path("data").get(0).has("key")).as("never the secret").isFalse();
        assertThat(invoices.status()).isEqualTo(200);
        assertThat(invoices.body().path("data").isArray()).isTrue();
        assertThat(call(HttpMethod.GET, "/api/v1/admin/accounts/" + UUID.randomUUID() + "/api-keys", ADMIN, null).status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/v1/admin/accounts/" + accountId + "/api-keys", TestIdentities.user(accountId), null)
                .status()).isEqualTo(403);
        assertThat(call(HttpMethod.GET, "/api/v1/admin/accounts?q=" + "x".repeat(201), ADMIN, null).status()).isEqualTo(400);
    }

    @Test
    void anyCallerLearnsItsOwnScopes() {
        Reply analyst = call(HttpMethod.GET, "/api/v1/accounts/me/identity", TestIdentities.analyst("someone"), null);
        Reply admin = call(HttpMethod.GET, "/api/v1/accounts/me/identity", ADMIN, null);

        assertThat(analyst.status()).isEqualTo(200);
        assertThat(analyst.body().path("accountId").asString()).isEqualTo("someone");
        assertThat(analyst.body().path("scopes").toString()).isEqualTo("[\"analyst\"]");
        assertThat(admin.body().path("scopes").toString()).isEqualTo("[\"admin\"]");
        assertThat(call(HttpMethod.GET, "/api/v1/accounts/me/identity", NOBODY, null).status()).isEqualTo(401);
    }

    @Test
    void inLocalModeAnAdminAssignsTiersAndEveryChangeIsPublished() {
        String accountId = createAccount();

        Reply pro = call(HttpMethod.PUT, "/api/v1/admin/accounts/" + accountId + "/tier", ADMIN, "{\"tier\":\"pro\"}");
        Reply sub = call(HttpMethod.GET, "/api/v1/billing/subscription", TestIdentities.user(accountId), null);
        Reply bad = call(HttpMethod.PUT, "/api/v1/admin/accounts/" + accountId + "/tier", ADMIN, "{\"tier\":\"gold\"}");
        Reply checkout = call(HttpMethod.POST, "/api/v1/billing/checkout", TestIdentities.user(accountId), "{\"tier\":\"pro\"}");

        assertThat(pro.status()).isEqualTo(200);
        assertThat(pro.body().path("tier").asString()).isEqualTo("pro");
        assertThat(pro.body().path("source").asString()).isEqualTo("local");
        assertThat(sub.body().path("tier").asString()).isEqualTo("pro");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(checkout.status()).isEqualTo(409);
        assertThat(checkout.body().path("error").path("code").asString()).isEqualTo("stripe_not_configured");
        ConsumerRecord<String, String> event = awaitEvents(Topics.SUBSCRIPTIONS, accountId, 1).getFirst();
        JsonNode published = json.readTree(event.value());
        assertThat(published.path("tier").asString()).isEqualTo("pro");
        assertThat(published.hasNonNull("monthlyAmount")).as("local mode knows no price").isFalse();
        assertThat(published.hasNonNull("currency")).isFalse();
        assertThat(sub.body().hasNonNull("monthlyAmount")).isFalse();
        assertThat(awaitEvents(Topics.ACCOUNTS, accountId, 2)).anySatisfy(r ->
                assertThat(json.readTree(r.value()).path("tier").asString()).isEqualTo("pro"));
    }

    private static HttpHeaders oidcCaller(String subject) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Platform-Identity", TestIdentities.token("oidc:" + subject));
        return headers;
    }

    private void assertRefused(String path, String body, String param) {
        Reply reply = call(HttpMethod.POST, path, ADMIN, body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.body().path("error").path("param").asString()).as(body).isEqualTo(param);
        assertThat(reply.body().path("error").path("message").asString()).as(body).contains(param);
    }

    private String createAccount() {
        Reply reply = call(HttpMethod.POST, "/api/v1/admin/accounts", ADMIN,
                "{\"email\":\"user-" + UUID.randomUUID() + "@example.com\"}");
        assertThat(reply.status()).isEqualTo(201);
        return reply.body().path("id").asString();
    }

    private List<ConsumerRecord<String, String>> awaitEvents(String topic, String key, int count) {
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found.clear();
            found.addAll(KafkaProbe.readAll(topic, r -> key.equals(r.key()), Duration.ofMillis(500)));
            return found.size() >= count;
        });
        assertThat(found).hasSize(count);
        return found;
    }

    private static void assertCloudEventHeaders(ConsumerRecord<String, String> record, String type, String id,
                                                String subject) {
        assertThat(header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo(type);
        assertThat(header(record, CloudEventHeaders.ID)).isEqualTo(id);
        assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo("billing-service");
        assertThat(header(record, CloudEventHeaders.SUBJECT)).isEqualTo(subject);
        assertThat(header(record, CloudEventHeaders.TIME)).isNotBlank();
        assertThat(header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo("application/json");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
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

package dev.chatplatform.provider;

import dev.chatplatform.contracts.audit.Topics;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Same configuration as {@link ProviderServiceIntegrationTest}, so both share one Spring context. */
@PlatformIntegrationTest
@TestPropertySource(properties = {"provider.simulated.first-token-delay=300ms", "provider.simulated.tokens-per-second=2000"})
class CatalogAdminIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void analystsReadTheCatalogOnlyAdminsChangeItAndChatKeysDoNeither() {
        RestClient chat = client(TestIdentities.chatCaller("acc-1"));
        assertThat(call(chat, HttpMethod.GET, "/api/v1/admin/models", null).status).isEqualTo(403);
        Answer create = call(chat, HttpMethod.POST, "/api/v1/admin/models",
                "{\"id\":\"evil\",\"provider\":\"simulated\",\"contextWindow\":1000,\"maxOutputTokens\":100}");
        assertThat(create.status).isEqualTo(403);
        assertThat(create.json().get("error").get("code").asString()).isEqualTo("insufficient_scope");
        assertThat(call(chat, HttpMethod.POST, "/api/v1/admin/models/sim-1/prices", "{\"inputMicroUsdPerMtok\":0,"
                + "\"outputMicroUsdPerMtok\":0,\"cachedInputMicroUsdPerMtok\":0}").status).isEqualTo(403);

        RestClient analyst = client(TestIdentities.analyst("acc-1"));
        assertThat(call(analyst, HttpMethod.GET, "/api/v1/admin/models", null).status).isEqualTo(200);
        Answer analystCreate = call(analyst, HttpMethod.POST, "/api/v1/admin/models",
                "{\"id\":\"evil\",\"provider\":\"simulated\",\"contextWindow\":1000,\"maxOutputTokens\":100}");
        assertThat(analystCreate.status).isEqualTo(403);
        assertThat(analystCreate.json().get("error").get("message").asString()).contains("'admin'");
    }

    @Test
    void aNewModelIsRefusedUntilPricedThenServedListedAndUpdatable() {
        Answer created = admin(HttpMethod.POST, "/api/v1/admin/models", """
                {"id":"sim-admin","provider":"simulated","upstreamModel":"sim-1","aliases":["sim-admin-alias"],
                 "contextWindow":8192,"maxOutputTokens":512,"tiers":["pro"],"fallbacks":["sim-1-mini"]}""");
        assertThat(created.status).as(created.body).isEqualTo(201);
        JsonNode model = created.json();
        assertThat(model.get("priceInForce").isNull()).isTrue();
        assertThat(model.get("capabilities").toString()).isEqualTo("[\"chat\",\"streaming\"]");
        assertThat(model.get("enabled").asBoolean()).isTrue();
        assertThat(complete("sim-admin").json().get("error").get("code").asString()).isEqualTo("model_not_priced");

        Answer priced = admin(HttpMethod.POST, "/api/v1/admin/models/sim-admin/prices",
                "{\"inputMicroUsdPerMtok\":1000000,\"outputMicroUsdPerMtok\":2000000,\"cachedInputMicroUsdPerMtok\":500000}");
        assertThat(priced.status).as(priced.body).isEqualTo(201);
        assertThat(priced.json().get("priceInForce").get("inputMicroUsdPerMtok").asLong()).isEqualTo(1_000_000);

        Answer answer = complete("sim-admin-alias");
        assertThat(answer.status).as(answer.body).isEqualTo(200);
        assertThat(answer.json().get("model").asString()).isEqualTo("sim-admin");
        assertThat(call(client(TestIdentities.chatCaller("acc-1")), HttpMethod.GET, "/v1/models", null).body)
                .contains("\"sim-admin\"");

        Answer disabled = admin(HttpMethod.PATCH, "/api/v1/admin/models/sim-admin",
                "{\"enabled\":false,\"maxOutputTokens\":256,\"deployments\":[{\"provider\":\"simulated\",\"upstreamModel\":\"sim-1\",\"weight\":2}]}");
        assertThat(disabled.status).as(disabled.body).isEqualTo(200);
        assertThat(disabled.json().get("maxOutputTokens").asInt()).isEqualTo(256);
        assertThat(disabled.json().get("aliases").toString()).as("unchanged").isEqualTo("[\"sim-admin-alias\"]");
        assertThat(disabled.json().get("deployments").get(0).get("weight").asInt()).isEqualTo(2);
        assertThat(complete("sim-admin").status).as("a disabled model is not served").isEqualTo(404);
        assertThat(call(client(TestIdentities.chatCaller("acc-1")), HttpMethod.GET, "/v1/models", null).body)
                .doesNotContain("\"sim-admin\"");
        assertThat(admin(HttpMethod.GET, "/api/v1/admin/models", null).body).contains("\"sim-admin\"");
    }

    @Test
    void badModelsAreRefusedNamingTheField() {
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models", "{\"provider\":\"simulated\",\"contextWindow\":10,\"maxOutputTokens\":5}"),
                400, "missing_parameter", "id");
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models",
                "{\"id\":\"x1\",\"provider\":\"simulated\",\"contextWindow\":10,\"maxOutputTokens\":50}"),
                400, "invalid_value", "maxOutputTokens");
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models",
                "{\"id\":\"sim-1\",\"provider\":\"simulated\",\"contextWindow\":10,\"maxOutputTokens\":5}"),
                409, "model_exists", "id");
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models",
                "{\"id\":\"x2\",\"provider\":\"simulated\",\"contextWindow\":10,\"maxOutputTokens\":5,\"aliases\":[\"claude-haiku\"]}"),
                409, "alias_taken", "aliases");
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models",
                "{\"id\":\"x3\",\"provider\":\"simulated\",\"contextWindow\":10,\"maxOutputTokens\":5,\"fallbacks\":[\"nope\"]}"),
                400, "invalid_value", "fallbacks");
        assertError(admin(HttpMethod.PATCH, "/api/v1/admin/models/nope", "{\"enabled\":false}"), 404, "model_not_found", null);
    }

    @Test
    void thePriceBookOnlyGrowsForward() {
        admin(HttpMethod.POST, "/api/v1/admin/models",
                "{\"id\":\"sim-prices\",\"provider\":\"simulated\",\"upstreamModel\":\"sim-1\",\"contextWindow\":8192,\"maxOutputTokens\":512}");
        String price = "{\"effectiveFrom\":\"%s\",\"inputMicroUsdPerMtok\":%d,\"outputMicroUsdPerMtok\":1,\"cachedInputMicroUsdPerMtok\":1}";

        assertError(admin(HttpMethod.POST, "/api/v1/admin/models/sim-prices/prices",
                price.formatted(Instant.now().minus(1, ChronoUnit.HOURS), 5)), 400, "price_in_past", "effectiveFrom");
        assertThat(admin(HttpMethod.POST, "/api/v1/admin/models/sim-prices/prices",
                "{\"inputMicroUsdPerMtok\":10,\"outputMicroUsdPerMtok\":1,\"cachedInputMicroUsdPerMtok\":1}").status)
                .isEqualTo(201);
        Instant nextYear = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Answer scheduled = admin(HttpMethod.POST, "/api/v1/admin/models/sim-prices/prices", price.formatted(nextYear, 20));
        assertThat(scheduled.status).isEqualTo(201);
        assertThat(scheduled.json().get("priceInForce").get("inputMicroUsdPerMtok").asLong())
                .as("a scheduled price is not in force yet").isEqualTo(10);
        assertThat(scheduled.json().get("prices").size()).isEqualTo(2);
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models/sim-prices/prices", price.formatted(nextYear, 30)),
                409, "price_exists", "effectiveFrom");
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models/sim-prices/prices",
                "{\"inputMicroUsdPerMtok\":-1,\"outputMicroUsdPerMtok\":1,\"cachedInputMicroUsdPerMtok\":1}"),
                400, "invalid_value", "inputMicroUsdPerMtok");

        assertThatThrownBy(() -> jdbc.sql("update model_prices set input_micro_usd_per_mtok = 0 where model_id = 'sim-prices' "
                + "and effective_from <= now()").update()).as("the database refuses to rewrite history")
                .hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("delete from model_prices where model_id = 'sim-1'").update())
                .hasMessageContaining("cannot be changed");
        assertThat(jdbc.sql("delete from model_prices where model_id = 'sim-prices' and effective_from > now()").update())
                .as("a price not yet in force may still be withdrawn").isEqualTo(1);
    }

    @Test
    void everyCatalogChangeIsAuditedWithTheAdminTheStateBeforeAndAfterAndTheReason() {
        String id = "sim-audit-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin(HttpMethod.POST, "/api/v1/admin/models", "{\"id\":\"" + id + "\",\"provider\":\"simulated\","
                + "\"upstreamModel\":\"sim-1\",\"contextWindow\":8192,\"maxOutputTokens\":512,\"reason\":\"new tier\"}")
                .status).isEqualTo(201);
        assertThat(admin(HttpMethod.POST, "/api/v1/admin/models/" + id + "/prices", "{\"inputMicroUsdPerMtok\":10,"
                + "\"outputMicroUsdPerMtok\":20,\"cachedInputMicroUsdPerMtok\":5,\"reason\":\"list price\"}").status)
                .isEqualTo(201);
        assertThat(admin(HttpMethod.PATCH, "/api/v1/admin/models/" + id, "{\"enabled\":false,\"reason\":\"upstream outage\"}")
                .status).isEqualTo(200);
        assertError(admin(HttpMethod.POST, "/api/v1/admin/models/" + id + "/prices", "{\"effectiveFrom\":\""
                + Instant.now().minus(1, ChronoUnit.HOURS) + "\",\"inputMicroUsdPerMtok\":1,\"outputMicroUsdPerMtok\":1,"
                + "\"cachedInputMicroUsdPerMtok\":1,\"reason\":\"refused\"}"), 400, "price_in_past", "effectiveFrom");
        assertError(admin(HttpMethod.PATCH, "/api/v1/admin/models/" + id, "{\"reason\":\"" + "x".repeat(1001) + "\"}"),
                400, "invalid_value", "reason");

        var rows = jdbc.sql("""
                        select action, actor, reason, before->>'enabled' as was_enabled, after->>'enabled' as is_enabled,
                               after->>'inputMicroUsdPerMtok' as input_price
                        from audit_log where target_type = 'model' and target_id = :id order by at""")
                .param("id", id).query().listOfRows();
        assertThat(rows).extracting(r -> r.get("action"))
                .as("a refused change is not audited").containsExactly("model.added", "model.price-scheduled", "model.disabled");
        assertThat(rows).extracting(r -> r.get("actor")).containsOnly("platform-admin");
        assertThat(rows).extracting(r -> r.get("reason")).containsExactly("new tier", "list price", "upstream outage");
        assertThat(rows.get(1).get("input_price")).isEqualTo("10");
        assertThat(rows.get(2)).containsEntry("was_enabled", "true").containsEntry("is_enabled", "false");
        await().atMost(Duration.ofSeconds(20)).until(() -> KafkaProbe.readAll(Topics.AUDIT,
                r -> ("model:" + id).equals(r.key()), Duration.ofMillis(500)).size() == 3);
        assertThat(KafkaProbe.readAll(Topics.AUDIT, r -> ("model:" + id).equals(r.key()), Duration.ofMillis(500)))
                .allSatisfy(r -> assertThat(new String(r.headers().lastHeader(CloudEventHeaders.SOURCE).value(),
                        StandardCharsets.UTF_8)).isEqualTo("provider-service"));
    }

    private void assertError(Answer answer, int status, String code, String param) {
        assertThat(answer.status).as(answer.body).isEqualTo(status);
        JsonNode error = answer.json().get("error");
        assertThat(error.get("code").asString()).as(answer.body).isEqualTo(code);
        if (param != null) {
            assertThat(error.get("param").asString()).isEqualTo(param);
        }
    }

    private Answer complete(String model) {
        return call(client(TestIdentities.chatCaller("acc-1")), HttpMethod.POST, "/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    private Answer admin(HttpMethod method, String path, String body) {
        return call(client(TestIdentities.admin("platform-admin")), method, path, body);
    }

    private Answer call(RestClient client, HttpMethod method, String path, String body) {
        var spec = client.method(method).uri(path);
        if (body != null) {
            spec = spec.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return spec.exchange((req, res) -> new Answer(res.getStatusCode().value(), res.bodyTo(String.class)));
    }

    private RestClient client(HttpHeaders identity) {
        return RestClient.builder().baseUrl("http://localhost:" + port).defaultHeaders(h -> h.addAll(identity)).build();
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }
}

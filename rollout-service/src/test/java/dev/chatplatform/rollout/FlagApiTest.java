package dev.chatplatform.rollout;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.Topics;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@PlatformIntegrationTest
class FlagApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    record Response(int status, JsonNode body) {
    }

    Response call(String method, String path, HttpHeaders identity, Object body) {
        RestClient client = RestClient.create("http://localhost:" + port);
        var spec = client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .headers(h -> h.addAll(identity));
        if (body != null) {
            spec = spec.contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsString(body));
        }
        return spec.exchange((req, res) -> {
            String text = res.bodyTo(String.class);
            return new Response(res.getStatusCode().value(), text == null || text.isBlank() ? null : JSON.readTree(text));
        });
    }

    static HttpHeaders admin() {
        return TestIdentities.admin("admin-1");
    }

    @Test
    void createdFlagsAreAuditedAndPublishedWithTheirFullState() {
        Response created = call("POST", "/api/v1/flags", admin(), Map.of("key", "new-chain", "description", "fallback v2",
                "allowList", List.of("tester"), "rolloutPercentage", 10, "reason", "first try"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().at("/flag/version").asLong()).isEqualTo(1);
        assertThat(created.body().at("/flag/offVariant").asString()).isEqualTo("off");
        assertThat(created.body().at("/rules/maxErrorRate").asDouble()).isEqualTo(0.05);

        Response updated = call("PUT", "/api/v1/flags/new-chain", admin(), Map.of("rolloutPercentage", 25,
                "allowList", List.of("tester"), "reason", "widen"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().at("/flag/version").asLong()).isEqualTo(2);

        Response audit = call("GET", "/api/v1/flags/new-chain/audit", admin(), null);
        JsonNode latest = audit.body().at("/data/0");
        assertThat(latest.at("/action").asString()).isEqualTo("flag.updated");
        assertThat(latest.at("/targetId").asString()).isEqualTo("new-chain");
        assertThat(latest.at("/actor").asString()).isEqualTo("admin-1");
        assertThat(latest.at("/reason").asString()).isEqualTo("widen");
        assertThat(latest.at("/before/rolloutPercentage").asInt()).isEqualTo(10);
        assertThat(latest.at("/after/rolloutPercentage").asInt()).isEqualTo(25);

        List<ConsumerRecord<String, String>> states = KafkaProbe.readAll(Topics.FLAGS,
                r -> "new-chain".equals(r.key()), Duration.ofSeconds(2));
        assertThat(states).hasSize(2);
        ConsumerRecord<String, String> last = states.getLast();
        assertThat(header(last, CloudEventHeaders.TYPE)).isEqualTo(FlagChanged.TYPE.name());
        FlagChanged published = JSON.readValue(last.value(), FlagChanged.class);
        assertThat(published.version()).isEqualTo(2);
        assertThat(published.rolloutPercentage()).isEqualTo(25);
        assertThat(published.allowList()).containsExactly("tester");
        assertThat(published.changedBy()).isEqualTo("admin-1");

        // the platform's audit log: the same entries on audit.v1, from rollout-service
        List<ConsumerRecord<String, String>> audits = KafkaProbe.readAll(dev.chatplatform.contracts.audit.Topics.AUDIT,
                r -> "flag:new-chain".equals(r.key()), Duration.ofSeconds(1));
        assertThat(audits).hasSize(2);
        assertThat(header(audits.getLast(), CloudEventHeaders.SOURCE)).isEqualTo("rollout-service");
        AuditRecorded entry = JSON.readValue(audits.getLast().value(), AuditRecorded.class);
        assertThat(entry.action()).isEqualTo("flag.updated");
        assertThat(entry.entryId()).isEqualTo(latest.at("/entryId").asString());
        assertThat(entry.before().get("rolloutPercentage")).isEqualTo(10);
        assertThat(entry.after().get("rolloutPercentage")).isEqualTo(25);
    }

    @Test
    void flagManagementNeedsTheAdminScopeAndNamesBadFields() {
        assertThat(call("GET", "/api/v1/flags", TestIdentities.chatCaller("acc-1"), null).status()).isEqualTo(403);
        Response bad = call("POST", "/api/v1/flags", admin(), Map.of("key", "Bad Key"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().at("/error/param").asString()).isEqualTo("key");
        Response pct = call("POST", "/api/v1/flags", admin(), Map.of("key", "pct", "rolloutPercentage", 101));
        assertThat(pct.body().at("/error/param").asString()).isEqualTo("rolloutPercentage");
        Response multi = call("POST", "/api/v1/flags", admin(), Map.of("key", "multi", "kind", "MULTIVARIANT",
                "variants", List.of(Map.of("name", "a", "weight", 1))));
        assertThat(multi.body().at("/error/param").asString()).isEqualTo("offVariant");
        assertThat(call("POST", "/api/v1/flags", admin(), Map.of("key", "twice")).status()).isEqualTo(201);
        assertThat(call("POST", "/api/v1/flags", admin(), Map.of("key", "twice")).status()).isEqualTo(409);
        assertThat(call("GET", "/api/v1/flags/missing", admin(), null).status()).isEqualTo(404);
    }

    @Test
    void evaluateAnswersVariantsForTheCallerWithTheSharedEvaluator() {
        call("POST", "/api/v1/flags", admin(), Map.of("key", "ui-theme", "kind", "MULTIVARIANT",
                "variants", List.of(Map.of("name", "dark", "weight", 500), Map.of("name", "neon", "weight", 500)),
                "offVariant", "classic", "rolloutPercentage", 100, "denyList", List.of("grumpy"),
                "segments", List.of(Map.of("attribute", "tier", "operator", "IN", "values", List.of("pro")))));
        Response pro = call("POST", "/api/v1/flags/evaluate", TestIdentities.chatCaller("acc-7"),
                Map.of("flags", List.of("ui-theme", "nope"), "context", Map.of("attributes", Map.of("tier", "pro"))));
        assertThat(pro.status()).isEqualTo(200);
        assertThat(pro.body().at("/accountId").asString()).isEqualTo("acc-7");
        assertThat(pro.body().at("/flags/ui-theme/variant").asString()).isIn("dark", "neon");
        assertThat(pro.body().at("/flags/ui-theme/reason").asString()).isEqualTo("IN_ROLLOUT");
        assertThat(pro.body().at("/flags/nope/reason").asString()).isEqualTo("FLAG_NOT_FOUND");
        Response free = call("POST", "/api/v1/flags/evaluate", TestIdentities.chatCaller("acc-7"),
                Map.of("flags", List.of("ui-theme"), "context", Map.of("attributes", Map.of("tier", "free"))));
        assertThat(free.body().at("/flags/ui-theme/variant").asString()).isEqualTo("classic");
        Response denied = call("POST", "/api/v1/flags/evaluate", TestIdentities.chatCaller("grumpy"),
                Map.of("flags", List.of("ui-theme"), "context", Map.of("attributes", Map.of("tier", "pro"))));
        assertThat(denied.body().at("/flags/ui-theme/reason").asString()).isEqualTo("DENY_LISTED");
        assertThat(call("POST", "/api/v1/flags/evaluate", TestIdentities.chatCaller("acc-7"),
                Map.of("context", Map.of("accountId", "someone-else"))).status()).isEqualTo(403);
    }

    @Test
    void killSwitchPrecedenceEnvironmentThenAdminKill() {
        call("POST", "/api/v1/flags", admin(), Map.of("key", "env-killed-flag", "rolloutPercentage", 100));
        call("POST", "/api/v1/flags", admin(), Map.of("key", "env-capped-flag", "rolloutPercentage", 100,
                "allowList", List.of("tester")));
        call("POST", "/api/v1/flags", admin(), Map.of("key", "admin-killed", "rolloutPercentage", 100,
                "allowList", List.of("tester")));

        assertThat(reason("env-killed-flag", "acc-1")).isEqualTo("ENV_KILLED");
        assertThat(reason("env-capped-flag", "acc-1")).isEqualTo("OUT_OF_ROLLOUT");
        assertThat(reason("env-capped-flag", "tester")).isEqualTo("ALLOW_LISTED");
        assertThat(call("GET", "/api/v1/flags/env-killed-flag", admin(), null).body().at("/envKilled").asBoolean()).isTrue();

        assertThat(reason("admin-killed", "tester")).isEqualTo("ALLOW_LISTED");
        assertThat(call("POST", "/api/v1/flags/admin-killed/kill", admin(), Map.of()).status()).isEqualTo(400);
        Response killed = call("POST", "/api/v1/flags/admin-killed/kill", admin(), Map.of("reason", "pager at 3am"));
        assertThat(killed.body().at("/flag/killed").asBoolean()).isTrue();
        assertThat(reason("admin-killed", "tester")).isEqualTo("KILLED");
        call("POST", "/api/v1/flags/admin-killed/revive", admin(), Map.of("reason", "fixed"));
        assertThat(reason("admin-killed", "tester")).isEqualTo("ALLOW_LISTED");
        assertThat(call("GET", "/api/v1/flags/admin-killed/audit", admin(), null).body().at("/data/1/action").asString())
                .isEqualTo("flag.killed");
    }

    @Test
    void phasedPlanStartsWithTestAccountsAndAdvancesManually() {
        call("POST", "/api/v1/flags", admin(), Map.of("key", "planned", "allowList", List.of("tester"), "rolloutPercentage", 50));
        Response plan = call("PUT", "/api/v1/flags/planned/plan", admin(), Map.of("autoAdvance", false));
        assertThat(plan.status()).isEqualTo(200);
        assertThat(plan.body().at("/phases").size()).isEqualTo(5);
        assertThat(plan.body().at("/currentPhase").asInt()).isZero();
        assertThat(call("GET", "/api/v1/flags/planned", admin(), null).body().at("/flag/rolloutPercentage").asInt()).isZero();
        assertThat(reason("planned", "tester")).isEqualTo("ALLOW_LISTED");

        Response advanced = call("POST", "/api/v1/flags/planned/plan/advance", admin(), Map.of("reason", "testers happy"));
        assertThat(advanced.body().at("/currentPhase").asInt()).isEqualTo(1);
        assertThat(call("GET", "/api/v1/flags/planned", admin(), null).body().at("/flag/rolloutPercentage").asInt()).isEqualTo(10);
        JsonNode audit = call("GET", "/api/v1/flags/planned/audit", admin(), null).body().at("/data/0");
        assertThat(audit.at("/action").asString()).isEqualTo("flag.phase-advanced");
        assertThat(audit.at("/reason").asString()).isEqualTo("testers happy");
    }

    @Test
    void aPausedPlanHoldsItsPhaseUntilResumedAndEachAsksForAReasonKeptInTheAuditLog() {
        call("POST", "/api/v1/flags", admin(), Map.of("key", "held", "allowList", List.of("tester")));
        call("PUT", "/api/v1/flags/held/plan", admin(), Map.of("autoAdvance", false));
        Response noReason = call("POST", "/api/v1/flags/held/plan/pause", admin(), Map.of());
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.body().at("/error/param").asString()).isEqualTo("reason");
        assertThat(call("POST", "/api/v1/flags/held/plan/pause", TestIdentities.analyst("analyst-1"),
                Map.of("reason", "freeze")).status()).isEqualTo(403);

        Response paused = call("POST", "/api/v1/flags/held/plan/pause", admin(), Map.of("reason", "release freeze"));
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.body().at("/status").asString()).isEqualTo("PAUSED");
        Response advance = call("POST", "/api/v1/flags/held/plan/advance", admin(), Map.of("reason", "too soon"));
        assertThat(advance.status()).isEqualTo(400);
        assertThat(advance.body().at("/error/code").asString()).isEqualTo("plan_not_active");
        assertThat(call("POST", "/api/v1/flags/held/plan/pause", admin(), Map.of("reason", "twice")).status())
                .isEqualTo(409);
        assertThat(call("GET", "/api/v1/flags/held/plan", admin(), null).body().at("/currentPhase").asInt()).isZero();

        Response resumed = call("POST", "/api/v1/flags/held/plan/resume", admin(), Map.of("reason", "freeze over"));
        assertThat(resumed.body().at("/status").asString()).isEqualTo("ACTIVE");
        assertThat(call("POST", "/api/v1/flags/held/plan/resume", admin(), Map.of("reason", "twice")).status())
                .isEqualTo(409);
        assertThat(call("POST", "/api/v1/flags/held/plan/advance", admin(), Map.of("reason", "go")).body()
                .at("/currentPhase").asInt()).isEqualTo(1);

        JsonNode audit = call("GET", "/api/v1/flags/held/audit", admin(), null).body().path("data");
        assertThat(audit.findValuesAsString("action")).containsSubsequence("flag.phase-advanced", "flag.plan-resumed",
                "flag.plan-paused", "flag.plan-set", "flag.created");
        JsonNode pause = audit.get(2);
        assertThat(pause.at("/reason").asString()).isEqualTo("release freeze");
        assertThat(pause.at("/before/status").asString()).isEqualTo("ACTIVE");
        assertThat(pause.at("/after/status").asString()).isEqualTo("PAUSED");
        assertThat(KafkaProbe.readAll(dev.chatplatform.contracts.audit.Topics.AUDIT, r -> "flag:held".equals(r.key()),
                Duration.ofSeconds(1))).extracting(r -> JSON.readValue(r.value(), AuditRecorded.class).reason())
                .contains("release freeze", "freeze over");
    }

    private String reason(String flag, String account) {
        return call("POST", "/api/v1/flags/evaluate", TestIdentities.chatCaller(account), Map.of("flags", List.of(flag)))
                .body().at("/flags/" + flag + "/reason").asString();
    }

    static String header(ConsumerRecord<String, String> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

package dev.chatplatform.gateway;

import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.context.ApplicationContext;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RoutingTest extends GatewayIntegrationTest {

    @Autowired
    HealthEndpointGroups healthGroups;

    @Autowired
    ApplicationContext context;

    /**
     * The gateway only authenticates and routes; the services check scopes (their EndpointScopesTest). A controller
     * or router function here would be an endpoint nothing checks: give it its own scope check and test first. The
     * exceptions are the web console's page router and the API documentation's (the OpenAPI document and Swagger
     * UI's page): public, static files that hold no data (ConsoleServingTest, OpenApiDocumentTest).
     */
    @Test
    void theGatewayServesNoEndpointOfItsOwnBesidesItsProbes() {
        assertThat(context.getBeansOfType(RequestMappingHandlerMapping.class).values())
                .flatExtracting(mapping -> mapping.getHandlerMethods().keySet()).isEmpty();
        assertThat(context.getBeansOfType(RouterFunction.class)).containsOnlyKeys("consolePages", "apiDocs");
    }

    @ParameterizedTest
    @CsvSource({
            "GET,  /v1/models, provider",
            "GET,  /v1/models/sim-1, provider",
            "GET,  /api/v1/admin/models, provider",
            "POST, /api/v1/admin/models/sim-1/prices, provider",
            "POST, /v1/chat/completions, chat",
            "POST, /v1/embeddings, chat",
            "GET,  /api/v1/conversations/c1/messages, chat",
            "PUT,  /api/v1/settings, chat",
            "GET,  /api/v1/accounts/me, billing",
            "GET,  /api/v1/api-keys, billing",
            "POST, /api/v1/admin/accounts, billing",
            "POST, /api/v1/accounts, billing",
            "GET,  /api/v1/billing/subscription, billing",
            "PUT,  /api/v1/admin/accounts/a1/tier, billing",
            "GET,  /api/v1/admin/billing/reconciliation, billing",
            "GET,  /api/v1/admin/billing/webhook-events, billing",
            "GET,  /api/v1/admin/jobs, billing",
            "POST, /api/v1/admin/jobs/mail:m1/retry, billing",
            "GET,  /api/v1/usage/me, usage",
            "GET,  /api/v1/flags, rollout",
            "GET,  /api/v1/admin/dead-letters/provider-service, provider",
            "GET,  /api/v1/admin/dead-letters/billing-service, billing",
            "POST, /api/v1/admin/dead-letters/usage-service/7/retry, usage",
            "GET,  /api/v1/admin/dead-letters/rollout-service/7, rollout"})
    void eachApiIsRoutedToItsService(String method, String path, String service) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("POST") ? "{\"a\":1}" : ""))
                .header("Authorization", "Bearer " + ADMIN_KEY).build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echoed = body(response);
        assertThat(echoed.path("service").asString()).isEqualTo(service);
        assertThat(echoed.path("path").asString()).isEqualTo(path);
        assertThat(echoed.path("method").asString()).isEqualTo(method);
        // the identity is minted for the route's service alone: any other service refuses it
        String identity = echoed.path("headers").path("x-platform-identity").get(0).asString();
        assertThat(TestIdentities.verifyAs(service + "-service", identity)).hasValueSatisfying(caller -> {
            assertThat(caller.accountId()).isEqualTo("platform-admin");
            assertThat(caller.actor()).isEqualTo("gateway");
        });
        for (String other : StubServices.NAMES) {
            if (!other.equals(service)) {
                assertThat(TestIdentities.verifyAs(other + "-service", identity)).as(other).isEmpty();
            }
        }
    }

    @Test
    void stripeWebhooksReachBillingWithoutAKeyWithTheirSignatureAndBodyIntact() {
        String payload = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/webhooks/stripe"))
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .header("Stripe-Signature", "t=1,v1=abc").header("Content-Type", "application/json").build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echoed = body(response);
        assertThat(echoed.path("service").asString()).isEqualTo("billing");
        assertThat(echoed.path("path").asString()).isEqualTo("/webhooks/stripe");
        assertThat(echoed.path("bodyBytes").asInt()).isEqualTo(payload.length());
        assertThat(echoed.path("headers").path("stripe-signature").get(0).asString()).isEqualTo("t=1,v1=abc");
        assertThat(echoed.path("headers").has("x-platform-identity")).isFalse();
    }

    @Test
    void theAnalyticsDashboardPageOpensWithoutAKeyButItsDataDoesNot() {
        // analytics-service is the stub that is down in these tests: reaching it at all proves no key was asked for
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/api/v1/analytics/dashboard/")).GET().build());
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(body(page).path("error").path("code").asString()).isEqualTo("service_unavailable");

        HttpResponse<String> data = send(HttpRequest.newBuilder(uri("/api/v1/analytics/usage")).GET().build());
        assertThat(data.statusCode()).isEqualTo(401);
    }

    @Test
    void streamedChunksReachTheClientOneByOne() throws Exception {
        StubServices.Stream stream = STUBS.nextStream();
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"sim-1\",\"stream\":true}")).build();

        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        Iterator<String> lines = response.body().iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                continue;
            }
            if (events.isEmpty()) {
                assertThat(stream.finished).as("the first chunk arrived before the stream ended").isFalse();
                stream.firstChunkSeen.countDown();
            }
            events.add(line);
        }
        assertThat(events).containsExactly("data: {\"chunk\":1}", "data: {\"chunk\":2}", "data: [DONE]");
    }

    @Test
    void aStreamRefusedBeforeAnyOutputReachesTheClientWithItsStatusRetryAfterAndBody() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"busy\",\"stream\":true}")).build());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo(StubServices.REFUSAL);
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024 + 1])).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(body(response).path("error").path("code").asString()).isEqualTo("request_too_large");
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsRefusedWith413() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[2 * 1024 * 1024])))
                .build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(body(response).path("error").path("code").asString()).isEqualTo("request_too_large");
    }

    @Test
    void aBodyUnderTheLimitIsForwardedWhole() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024 * 1024])).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).path("bodyBytes").asInt()).isEqualTo(1024 * 1024);
    }

    @Test
    void anUnknownPathIsAnOpenAiShaped404() {
        HttpResponse<String> response = get("/v1/nothing-here", "Authorization", "Bearer " + ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = body(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asString()).isEqualTo("not_found");
    }

    @Test
    void anUnknownPathStillNeedsAKey() {
        assertThat(get("/v1/nothing-here").statusCode()).isEqualTo(401);
    }

    /** The platform's audit search lives in analytics-service (the stub that is down here: 503, not an unrouted 404). */
    @Test
    void theAuditSearchIsRoutedToAnalytics() {
        HttpResponse<String> routed = get("/api/v1/admin/audit?q=tier", "Authorization", "Bearer " + ADMIN_KEY);
        HttpResponse<String> unrouted = get("/api/v1/admin/nothing-here", "Authorization", "Bearer " + ADMIN_KEY);

        assertThat(routed.statusCode()).isEqualTo(503);
        assertThat(body(routed).path("error").path("code").asString()).isEqualTo("service_unavailable");
        assertThat(unrouted.statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/admin/audit").statusCode()).isEqualTo(401);
    }

    @Test
    void aServiceThatIsDownGivesAnOpenAiShaped503() {
        HttpResponse<String> response = get("/api/v1/analytics/daily", "Authorization", "Bearer " + ADMIN_KEY);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = body(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("server_error");
        assertThat(error.path("code").asString()).isEqualTo("service_unavailable");
    }

    @Test
    void probesNeedNoKeyAndReportReadyOnceTheKeyViewIsLoaded() {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
        HttpResponse<String> readiness = get("/actuator/health/readiness");

        assertThat(body(readiness).path("status").asString()).isEqualTo("UP");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(healthGroups.get("readiness").isMember("apiKeyView"))
                .as("readiness waits for the API key view").isTrue();
    }
}

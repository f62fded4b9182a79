package dev.chatplatform.analytics;

import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@PlatformIntegrationTest
class AnalyticsServiceTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void bootsReadyWithItsOwnMigratedSchema() {
        var health = RestClient.create("http://localhost:" + port).get().uri("/actuator/health/readiness")
                .retrieve().toEntity(String.class);
        assertThat(health.getStatusCode().value()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from flyway_schema_history where success").query(Integer.class).single())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void servesLivenessAndPrometheusMetricsWithoutAnIdentity() {
        var client = RestClient.create("http://localhost:" + port);
        assertThat(client.get().uri("/actuator/health/liveness").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(200);
        String metrics = client.get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("service=\"analytics-service\"");
    }

    @Test
    void refusesCallersWithoutAGatewayIdentity() {
        var response = RestClient.create("http://localhost:" + port).get().uri("/api/v1/analytics")
                .exchange((req, res) -> new Object[]{res.getStatusCode().value(), res.bodyTo(String.class)});
        assertThat(response[0]).isEqualTo(401);
        assertThat((String) response[1]).contains("\"code\":\"unauthenticated\"");
    }

    @Test
    void unknownEndpointsAnswerAnOpenAiShaped404() {
        var response = RestClient.create("http://localhost:" + port).get().uri("/api/v1/analytics/nope")
                .headers(h -> h.addAll(TestIdentities.admin("acc-1")))
                .exchange((req, res) -> new Object[]{res.getStatusCode().value(), res.bodyTo(String.class)});
        assertThat(response[0]).isEqualTo(404);
        assertThat((String) response[1]).contains("\"type\":\"invalid_request_error\"").contains("\"code\":\"not_found\"");
    }
}

package dev.chatplatform.rollout;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.rollout.Topics;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.SharedInfrastructure;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness that tells the truth: while the service's own database refuses connections (its backends are
 * terminated and it stops accepting new ones, on the shared PostgreSQL, so no other test notices) the service
 * is not ready and its API answers 503 with Retry-After; once the database is back it is ready again and what it
 * accepted before the outage is still there and was published. Its own context (a 1 s connection timeout) keeps
 * the outage away from the contexts other tests share.
 */
@PlatformIntegrationTest
@TestPropertySource(properties = "spring.datasource.hikari.connection-timeout=1000")
class DatabaseOutageTest {

    @LocalServerPort
    int port;

    @Value("${spring.datasource.url}")
    String datasourceUrl;

    record Answer(int status, HttpHeaders headers, String body) {
    }

    private Answer call(HttpMethod method, String path, String body) {
        var spec = RestClient.create("http://localhost:" + port).method(method).uri(path)
                .headers(h -> h.addAll(TestIdentities.admin("admin-outage")));
        if (body != null) {
            spec = spec.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return spec.exchange((req, res) -> new Answer(res.getStatusCode().value(), res.getHeaders(), res.bodyTo(String.class)));
    }

    @Test
    void withItsDatabaseDownTheServiceIsNotReadyAndAnswers503ThenRecoversWithNothingLost() throws Exception {
        assertThat(call(HttpMethod.POST, "/api/v1/flags", "{\"key\":\"before-outage\"}").status()).isEqualTo(201);
        assertThat(call(HttpMethod.GET, "/actuator/health/readiness", null).status()).isEqualTo(200);

        String database = datasourceUrl.substring(datasourceUrl.lastIndexOf('/') + 1).split("\\?")[0];
        admin("alter database " + database + " with allow_connections false");
        admin("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database + "'");
        try {
            Answer readiness = call(HttpMethod.GET, "/actuator/health/readiness", null);
            assertThat(readiness.status()).isEqualTo(503);
            for (Answer refused : new Answer[] {call(HttpMethod.GET, "/api/v1/flags", null),
                    call(HttpMethod.POST, "/api/v1/flags", "{\"key\":\"during-outage\"}")}) {
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
                assertThat(refused.body()).contains("\"code\":\"service_unavailable\"");
            }
            assertThat(call(HttpMethod.GET, "/actuator/health/liveness", null).status()).isEqualTo(200);
        } finally {
            admin("alter database " + database + " with allow_connections true");
        }

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (call(HttpMethod.GET, "/actuator/health/readiness", null).status() != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(call(HttpMethod.GET, "/actuator/health/readiness", null).status()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/v1/flags/before-outage", null).status()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/api/v1/flags/during-outage", null).status()).isEqualTo(404);
        // one event, published at least once: when the database went away between the relay's send and its marking
        // the row sent, the row is sent again after the outage, with the same id (consumers apply it once)
        var published = KafkaProbe.readAll(Topics.FLAGS, r -> "before-outage".equals(r.key()), Duration.ofSeconds(10));
        assertThat(published).isNotEmpty();
        assertThat(published.stream()
                .map(r -> new String(r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8)).distinct())
                .hasSize(1);
        assertThat(call(HttpMethod.POST, "/api/v1/flags", "{\"key\":\"after-outage\"}").status()).isEqualTo(201);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = SharedInfrastructure.postgres().getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

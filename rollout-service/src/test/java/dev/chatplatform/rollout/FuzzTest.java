package dev.chatplatform.rollout;

import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import dev.chatplatform.testkit.fuzz.EndpointFuzzer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared fuzz corpus against every endpoint of rollout-service: no 5xx, only JSON errors, nothing stored lost. */
@PlatformIntegrationTest
class FuzzTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void malformedRequestsGetA4xxAndChangeNothingStored() {
        RestClient.create("http://localhost:" + port).post().uri("/api/v1/flags")
                .headers(h -> h.addAll(TestIdentities.admin("admin-fuzz"))).contentType(MediaType.APPLICATION_JSON)
                .body("{\"key\":\"stored-before\",\"description\":\"kept\",\"rolloutPercentage\":10}").retrieve().toBodilessEntity();

        EndpointFuzzer.Report report = new EndpointFuzzer(context, port).run(table -> table.contains("outbox"));

        System.out.println(report.summary("rollout-service"));
        assertThat(report.failures()).isEmpty();
        assertThat(report.endpoints()).isGreaterThan(5);
    }
}

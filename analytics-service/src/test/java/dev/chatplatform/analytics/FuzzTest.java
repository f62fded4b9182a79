package dev.chatplatform.analytics;

import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.fuzz.EndpointFuzzer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared fuzz corpus against every endpoint of analytics-service: no 5xx, only JSON errors, nothing stored lost. */
@PlatformIntegrationTest
class FuzzTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void malformedRequestsGetA4xxAndChangeNothingStored() {
        EndpointFuzzer.Report report = new EndpointFuzzer(context, port).run(table -> table.contains("outbox"));

        System.out.println(report.summary("analytics-service"));
        assertThat(report.failures()).isEmpty();
        assertThat(report.endpoints()).isGreaterThan(1);
    }
}

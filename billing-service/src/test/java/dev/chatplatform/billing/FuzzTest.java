package dev.chatplatform.billing;

import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.fuzz.EndpointFuzzer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared fuzz corpus against every endpoint of billing-service: no 5xx, only JSON errors, nothing stored lost. */
@PlatformIntegrationTest
@TestPropertySource(properties = "billing.stripe.webhook-secret=whsec_fuzz") // webhooks check signatures, not 503
class FuzzTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void malformedRequestsGetA4xxAndChangeNothingStored() {
        // the outbox and the jobs table are rewritten in the background by the relay and the scheduler
        EndpointFuzzer.Report report = new EndpointFuzzer(context, port)
                .run(table -> table.contains("outbox") || table.equals("scheduled_tasks"));

        System.out.println(report.summary("billing-service"));
        assertThat(report.failures()).isEmpty();
        assertThat(report.endpoints()).isGreaterThan(1);
    }
}

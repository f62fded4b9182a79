package dev.chatplatform.chat;

import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.fuzz.EndpointFuzzer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared fuzz corpus against every endpoint of chat-service: no 5xx, only JSON errors, nothing stored lost. */
@PlatformIntegrationTest
class FuzzTest {

    static final ProviderStub provider = ProviderStub.start();
    static final UsageStub usage = UsageStub.start();

    /** The stand-ins the other chat-service tests use, so a request that passes validation gets an answer. */
    @DynamicPropertySource
    static void config(DynamicPropertyRegistry registry) {
        registry.add("chat.provider.url", provider::url);
        registry.add("chat.budget.usage-url", usage::url);
    }

    @AfterAll
    static void stopStubs() {
        provider.close();
        usage.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void malformedRequestsGetA4xxAndChangeNothingStored() {
        EndpointFuzzer.Report report = new EndpointFuzzer(context, port).run(table -> table.contains("outbox"));

        System.out.println(report.summary("chat-service"));
        assertThat(report.failures()).isEmpty();
        assertThat(report.endpoints()).isGreaterThan(1);
    }
}

package dev.chatplatform.chat.provider;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.testkit.TestIdentities;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderClientTest {

    @Test
    void anUnreachableProviderIsReportedAsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var beans = new DefaultListableBeanFactory();
        try (var client = new ProviderClient(new ProviderProperties(URI.create("http://127.0.0.1:" + closedPort),
                Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new IdentityTokens(TestIdentities.SECRET, Duration.ofSeconds(30), Clock.systemUTC(), "chat-service"),
                beans.getBeanProvider(io.micrometer.tracing.Tracer.class),
                beans.getBeanProvider(io.micrometer.tracing.propagation.Propagator.class))) {
            assertThatThrownBy(() -> client.complete("{}".getBytes(),
                    new CallerIdentity("acc-1", "k_test", Set.of("chat")), "req-unreachable"))
                    .isInstanceOf(ProviderUnavailableException.class);
        }
    }
}

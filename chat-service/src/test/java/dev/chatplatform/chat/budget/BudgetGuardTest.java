package dev.chatplatform.chat.budget;

import dev.chatplatform.kit.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** usage-service unreachable (nothing listening): fail closed by default, fail open when configured. */
class BudgetGuardTest {

    @Test
    void anUnreachableUsageServiceFailsClosedWith503() throws IOException {
        assertThatThrownBy(() -> guard(false).hold("sim-1", 10, 100, "token", "req-00000001"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(503);
                    assertThat(e.toError().error().code()).isEqualTo("budget_service_unavailable");
                });
    }

    @Test
    void anUnreachableUsageServiceLetsTheCallThroughUnlimitedWhenFailingOpen() throws IOException {
        Hold hold = guard(true).hold("sim-1", 10, 100, "token", "req-00000001");
        assertThat(hold.placed()).isFalse();
        assertThat(hold.streamLimit()).isEqualTo(Long.MAX_VALUE);
        assertThat(hold.limitsAnswer()).isFalse();
    }

    @Test
    void theWorstCaseAnswerIsTheRequestsElseTheModelsElseTheDefault() throws IOException {
        BudgetGuard guard = guard(false);
        assertThat(guard.worstCaseOutput("sim-1", 50L, 999)).isEqualTo(50);
        assertThat(guard.worstCaseOutput("sim-1", null, 999)).isEqualTo(999);
        assertThat(guard.worstCaseOutput("sim-1", null, null)).isEqualTo(16384);
        assertThat(guard.worstCaseOutput("other", null, null)).isEqualTo(1000);
    }

    private static BudgetGuard guard(boolean failOpen) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BudgetProperties properties = new BudgetProperties(URI.create("http://127.0.0.1:" + closedPort),
                Duration.ofMillis(500), Duration.ofSeconds(1), failOpen, 1000, Map.of("sim-1", 16384),
                Map.of(), new BudgetProperties.ModelPrice(3_000_000, 15_000_000));
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        UsageClient client = new UsageClient(properties, beans.getBeanProvider(Tracer.class), beans.getBeanProvider(Propagator.class));
        return new BudgetGuard(client, properties, JsonMapper.builder().build(), new SimpleMeterRegistry());
    }
}

package dev.chatplatform.launcher;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LauncherConfigTest {

    @Test
    void stripeSettingsInTheGivenEnvironmentReachTheServices() {
        LauncherConfig config = LauncherConfig.fromEnvironment(Map.of(
                "STRIPE_SECRET_KEY", "sk_test_bench", "STRIPE_API_BASE", "http://localhost:12111",
                "SIMULATED_TOKENS_PER_SECOND", "0", "HOME", "/root"));

        assertThat(config.serviceEnv())
                .containsEntry("STRIPE_SECRET_KEY", "sk_test_bench")
                .containsEntry("STRIPE_API_BASE", "http://localhost:12111")
                .containsEntry("SIMULATED_TOKENS_PER_SECOND", "0")
                .containsEntry("SIMULATED_FIRST_TOKEN_DELAY", "250ms")
                .doesNotContainKey("HOME");
    }
}

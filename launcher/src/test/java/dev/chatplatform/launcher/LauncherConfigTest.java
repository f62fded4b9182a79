package dev.chatplatform.launcher;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LauncherConfigTest {

    @Test
    void stripeAndProviderSettingsInTheGivenEnvironmentReachTheServices() {
        LauncherConfig config = LauncherConfig.fromEnvironment(Map.of(
                "STRIPE_SECRET_KEY", "sk_test_bench", "STRIPE_API_BASE", "http://localhost:12111",
                "OPENAI_BASE_URL", "http://localhost:28190/v1", "PROVIDER_MAX_CONCURRENT_CALLS", "2000",
                "SIMULATED_TOKENS_PER_SECOND", "0", "HOME", "/root"));

        assertThat(config.serviceEnv())
                .containsEntry("OPENAI_BASE_URL", "http://localhost:28190/v1")
                .containsEntry("PROVIDER_MAX_CONCURRENT_CALLS", "2000")
                .containsEntry("STRIPE_SECRET_KEY", "sk_test_bench")
                .containsEntry("STRIPE_API_BASE", "http://localhost:12111")
                .containsEntry("SIMULATED_TOKENS_PER_SECOND", "0")
                .containsEntry("SIMULATED_FIRST_TOKEN_DELAY", "250ms")
                .doesNotContainKey("HOME");
    }
}

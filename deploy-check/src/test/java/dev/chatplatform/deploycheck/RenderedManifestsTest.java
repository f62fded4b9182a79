package dev.chatplatform.deploycheck;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema validation refuses what the API server would refuse. */
class RenderedManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  %s
                  containers:
                    - name: demo
                      image: demo:1
            """;

    @Test
    void aValidDeploymentIsRead() {
        assertThat(RenderedManifests.parse("test", DEPLOYMENT.formatted("terminationGracePeriodSeconds: 60")).objects)
                .hasSize(1);
    }

    @Test
    void aMisspelledFieldDeepInsideIsRefused() {
        assertThatThrownBy(() -> RenderedManifests.parse("test", DEPLOYMENT.formatted("terminationGracePeriodSecond: 60")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("terminationGracePeriodSecond");
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        assertThatThrownBy(() -> RenderedManifests.parse("test", DEPLOYMENT.formatted("terminationGracePeriodSeconds: soon")))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> RenderedManifests.parse("test", """
                apiVersion: apps/v1
                kind: Deploymnet
                metadata:
                  name: demo
                """)).isInstanceOf(AssertionError.class).hasMessageContaining("unknown kind");
    }
}

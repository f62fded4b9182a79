package dev.chatplatform.deploycheck;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Each service's image: layered jar, non-root, heap sized by the container, health check, signals to the JVM. */
class DockerfilesTest {

    @Test
    void everyServiceHasAnImageBuiltTheSameWay() {
        for (String service : Platform.SERVICES) {
            Path file = Platform.ROOT.resolve(service).resolve("Dockerfile");
            assertThat(file).as("%s/Dockerfile", service).exists();
            String dockerfile = Platform.read(file);
            assertThat(dockerfile).as(service)
                    .contains("COPY target/" + service + ".jar app.jar")
                    .contains("java -Djarmode=tools -jar app.jar extract --layers --launcher")
                    .contains("-XX:MaxRAMPercentage=")
                    .contains("/actuator/health/liveness")
                    .contains("exec java")
                    .contains("org.springframework.boot.loader.launch.JarLauncher")
                    .contains("ENV PORT=" + Platform.port(service))
                    .contains("EXPOSE " + Platform.port(service));
            assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM ")).count()).as("%s multi-stage", service)
                    .isGreaterThanOrEqualTo(2);
            assertThat(dockerfile).containsPattern("(?m)^HEALTHCHECK ");
            assertThat(dockerfile).as("%s runs as a non-root user", service).containsPattern("(?m)^USER [1-9][0-9]*");
            assertThat(Platform.read(Platform.ROOT.resolve(service).resolve(".dockerignore")))
                    .contains("!target/" + service + ".jar");
        }
    }
}

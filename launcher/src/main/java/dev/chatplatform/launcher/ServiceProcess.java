package dev.chatplatform.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service running as its own JVM from its built jar, its output appended to a log file. */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final Service service;
    private final Process process;
    private final Path log;
    private final String readinessUrl;
    private final Instant startedAt = Instant.now();
    private final Duration stopGrace;
    private Duration startupTime;

    private ServiceProcess(Service service, Process process, Path log, String readinessUrl, Duration stopGrace) {
        this.service = service;
        this.process = process;
        this.log = log;
        this.readinessUrl = readinessUrl;
        this.stopGrace = stopGrace;
    }

    static ServiceProcess start(Service service, Path jar, List<String> jvmOptions, boolean jvmCache,
                                Map<String, String> env, Path logDir, String baseUrl) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = jvmOptions.stream().filter(o -> !o.isBlank()).toList();
        command.addAll(options);
        command.addAll(jvmCache ? JvmCache.launchArguments(service.module, jar, options) : List.of("-jar", jar.toString()));
        Path log = logDir.resolve(service.module + ".log");
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            // a JVM that writes its class cache when it stops needs longer to exit (JvmCache)
            Duration stopGrace = JvmCache.writesCacheAtExit(command) ? Duration.ofMinutes(3) : Duration.ofSeconds(30);
            return new ServiceProcess(service, builder.start(), log, baseUrl + "/actuator/health/readiness", stopGrace);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service.module, e);
        }
    }

    /** Blocks until the service's readiness probe answers 200; fails fast if the process dies. */
    void awaitReady(Instant deadline) {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(readinessUrl)).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.module + " exited with status " + process.exitValue()
                        + " while starting; last lines of " + log + ":\n" + tail(40));
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    startupTime = Duration.between(startedAt, Instant.now());
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + service.module, e);
            }
            sleep(250);
        }
        throw new IllegalStateException(service.module + " was not ready by the deadline; last lines of " + log
                + ":\n" + tail(40));
    }

    /** Asks the service to shut down gracefully (SIGTERM drains in-flight requests), then insists. */
    void stop() {
        process.destroy();
    }

    /** Kills the process at once (SIGKILL), as a crash or an OOM kill would. */
    void kill() {
        process.destroyForcibly();
    }

    /** How long a graceful stop may take before the process is killed. */
    Duration stopGrace() {
        return stopGrace;
    }

    void awaitExit(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                // waits for the kill too: the next start on the same ports must not find this process still there
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    long pid() {
        return process.pid();
    }

    Duration startupTime() {
        return startupTime;
    }

    Path log() {
        return log;
    }

    /** Resident set size of the service's JVM in KiB (Linux), or -1 where /proc is not there. */
    long residentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

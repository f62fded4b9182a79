package dev.chatplatform.launcher;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command ends here: starts the platform, prints the web console's address with how to sign
 * in, a ready API key and a curl line, and keeps running until Ctrl-C, which stops everything it started.
 */
public final class PlatformLauncher {

    private PlatformLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (Runtime.version().feature() < 21) {
            System.err.println("The platform needs Java 21 or newer; this is " + Runtime.version());
            System.exit(1);
        }
        Map<String, String> env = System.getenv();
        LauncherConfig config = LauncherConfig.fromEnvironment(env);
        System.out.println("Starting the platform; data in " + config.dataDir() + ", service logs in "
                + config.dataDir().resolve("logs"));
        LocalPlatform platform;
        try {
            platform = LocalPlatform.start(config);
        } catch (RuntimeException e) {
            System.err.println("The platform did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the platform...");
            platform.close();
            stopped.countDown();
        }));

        platform.serviceStats().forEach((service, s) ->
                System.out.printf("  %-18s ready after %5.1f s, resident memory %4d MiB%n", service, s[0] / 1000.0, s[1] / 1024));
        System.out.printf("Platform ready in %.1f s. Gateway: %s%n", platform.startupTime().toMillis() / 1000.0, platform.gatewayUrl());
        System.out.println();
        System.out.println("Web console: " + platform.gatewayUrl() + "/  (sign in with the API key below)");
        System.out.println("PLATFORM_API_KEY=" + platform.demoApiKey());
        System.out.println("curl " + platform.gatewayUrl() + "/v1/chat/completions -H \"Authorization: Bearer "
                + platform.demoApiKey() + "\" -H \"Content-Type: application/json\" -d '{\"model\":\"sim-1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}'");
        System.out.println();
        System.out.println("Usage so far: curl -H \"Authorization: Bearer " + platform.demoApiKey() + "\" "
                + platform.gatewayUrl() + "/api/v1/usage/me");
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }
}

package dev.chatplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The environment every benchmark starts its platform with; a benchmark adds or overrides what it measures. */
final class BenchPlatform {

    private BenchPlatform() {
    }

    /**
     * This process's environment, plus a fresh data folder (a new platform every run), ports from 28080 unless
     * {@code PLATFORM_BASE_PORT} says otherwise, and a simulated model without delay, so that the figures are the
     * platform's own cost.
     */
    static Map<String, String> environment() throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PLATFORM_DATA_DIR", Files.createTempDirectory("platform-bench").toString());
        env.putIfAbsent("PLATFORM_BASE_PORT", "28080");
        env.put("SIMULATED_FIRST_TOKEN_DELAY", "0ms");
        env.put("SIMULATED_TOKENS_PER_SECOND", "0");
        return env;
    }
}

package dev.chatplatform.kit.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The states of a job that has failed at least once (jobs that never failed are just scheduled work). */
public enum JobState {
    /** Failed; runs again by itself after its back-off. */
    RETRYING,
    /** Failed for good (permanent error or too many attempts); runs again only when an operator retries it. */
    PARKED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobState> parse(String text) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(text)).findFirst();
    }
}

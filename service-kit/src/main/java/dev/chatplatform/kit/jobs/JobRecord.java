package dev.chatplatform.kit.jobs;

import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * What the kit stores as a job's data in {@code scheduled_tasks.task_data} (JSON, so a Flyway migration can
 * write it too): the kind's own data, when the job was created, the last error, and why it was parked
 * ({@code null} while it is not).
 */
record JobRecord(JsonNode data, Instant createdAt, String lastError, String parkedReason) {

    private static final int MAX_TEXT = 2000;

    JobRecord failed(String error) {
        return new JobRecord(data, createdAt, clip(error), null);
    }

    JobRecord parked(String error, String reason) {
        return new JobRecord(data, createdAt, clip(error), clip(reason));
    }

    JobRecord unparked() {
        return new JobRecord(data, createdAt, lastError, null);
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}

package dev.chatplatform.kit.jobs;

import java.time.Instant;

/**
 * One job as the admin listing shows it.
 *
 * @param id            {@code <kind>:<reference>}, what {@code POST .../{id}/retry} takes
 * @param state         {@code scheduled} (due or waiting, never failed since its last retry), {@code retrying}
 *                      (failed, will run again by itself) or {@code parked} (waits for an operator)
 * @param attempts      failed attempts in a row
 * @param nextAttemptAt when it runs next by itself; {@code null} while parked
 * @param lastError     the last attempt's error
 * @param reason        why it is parked; {@code null} otherwise
 * @param lastFailureAt when the last attempt failed
 * @param createdAt     when the job was enqueued
 */
public record JobView(String id, String kind, String reference, String state, int attempts, Instant nextAttemptAt,
                      String lastError, String reason, Instant lastFailureAt, Instant createdAt) {

    /** The {@code state} of a job that has not failed since it was enqueued or last retried. */
    public static final String SCHEDULED = "scheduled";

    public boolean failed() {
        return !state.equals(SCHEDULED);
    }
}

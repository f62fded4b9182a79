package dev.chatplatform.kit.jobs;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of job: its name (the task name in {@code scheduled_tasks}, shown in the admin listing and as the
 * {@code kind} tag of the job metrics) and the record its data is stored as (JSON). {@code Void} for jobs whose
 * reference says everything.
 */
public record JobKind<T>(String name, Class<T> dataType) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public JobKind {
        Objects.requireNonNull(dataType, "dataType");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a job kind is lower-case letters, digits and '-' (no ':'): " + name);
        }
    }

    /** A kind whose jobs carry no data: the reference names the work. */
    public static JobKind<Void> withoutData(String name) {
        return new JobKind<>(name, Void.class);
    }
}

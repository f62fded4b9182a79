package dev.chatplatform.kit.jobs;

/** Thrown by a {@link JobHandler} when retrying cannot help: the job is parked at once, with this message as its reason. */
public class PermanentJobFailure extends RuntimeException {

    public PermanentJobFailure(String reason) {
        super(reason);
    }

    public PermanentJobFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}

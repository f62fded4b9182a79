package dev.chatplatform.kit.jobs;

/**
 * Runs the jobs of one kind; declare one bean per kind. {@link #run} may run more than once for the same job
 * (after a failure, or when a replica dies between the work and its completion), so it must be idempotent:
 * check what is done, or call out with an idempotency key derived from the reference.
 * Throw {@link PermanentJobFailure} when retrying cannot help; any other exception is retried with back-off.
 */
public interface JobHandler<T> {

    JobKind<T> kind();

    /** @param reference the job's reference within its kind (what {@link Jobs#enqueue} was given) */
    void run(String reference, T data);
}

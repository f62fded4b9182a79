package dev.chatplatform.kit.jobs;

import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * The one failure rule for every job: retry later by the {@link BackoffPolicy}, or park (a permanent failure, or
 * the policy's last attempt) with the reason kept in the job's data. A parked job stays in {@code scheduled_tasks}
 * with an execution time no poll reaches ({@link Jobs#PARKED}) until an operator retries it: never dropped,
 * never retried in a loop.
 */
class ParkingFailureHandler implements FailureHandler<JobRecord> {

    private static final Logger log = LoggerFactory.getLogger(ParkingFailureHandler.class);

    private final BackoffPolicy policy;

    ParkingFailureHandler(BackoffPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<JobRecord> operations) {
        Execution execution = complete.getExecution();
        String job = execution.taskInstance.getTaskName() + ":" + execution.taskInstance.getId();
        int failures = execution.consecutiveFailures + 1;
        Throwable cause = complete.getCause().orElse(null);
        String error = cause == null ? "failed" : cause.toString();
        JobRecord record = execution.taskInstance.getData() instanceof JobRecord r ? r : new JobRecord(null, null, null, null);
        Optional<PermanentJobFailure> permanent = permanent(cause);
        if (permanent.isPresent() || policy.exhausted(failures)) {
            String reason = permanent.map(Throwable::getMessage)
                    .orElse("gave up after " + failures + " failed attempts; last error: " + error);
            operations.reschedule(complete, Jobs.PARKED, record.parked(error, reason));
            log.warn("job {} parked after {} attempt(s): {}", job, failures, reason);
        } else {
            Duration delay = policy.delayAfter(failures);
            operations.reschedule(complete, complete.getTimeDone().plus(delay), record.failed(error));
            log.warn("job {} failed (attempt {}), next attempt in {}: {}", job, failures, delay, error);
        }
    }

    private static Optional<PermanentJobFailure> permanent(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof PermanentJobFailure p) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

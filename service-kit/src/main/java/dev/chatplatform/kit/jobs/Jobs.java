package dev.chatplatform.kit.jobs;

import dev.chatplatform.kit.tx.AfterCommit;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Enqueues jobs and shows the ones that failed. {@link #enqueue} writes through the caller's transaction (the
 * scheduler's DataSource is transaction-aware), so a job exists exactly when the state change that needs it
 * committed; the scheduler is woken right after that commit and also polls. Starts and stops db-scheduler with
 * the application context.
 * <p>
 * The scheduler is built from the {@link JobHandler} beans on first use (at the latest when the context starts),
 * not when this bean is created: handlers enqueue jobs themselves (a webhook queues a mail), so they depend on
 * this bean and it cannot depend on them.
 */
public class Jobs implements SmartLifecycle {

    /**
     * Parked jobs wait at this execution time, which no poll reaches: a query of the service's own over
     * {@code scheduled_tasks} tells a parked job by {@code execution_time >= PARKED}.
     */
    public static final Instant PARKED = Instant.parse("9999-01-01T00:00:00Z");

    private static final String COLUMNS =
            "task_name, task_instance, task_data, execution_time, consecutive_failures, last_failure";

    private final ObjectProvider<JobHandler<?>> handlers;
    private final Function<List<OneTimeTask<JobRecord>>, Scheduler> schedulers;
    private final ParkingFailureHandler failures;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private volatile Engine engine;
    private volatile boolean running;

    Jobs(ObjectProvider<JobHandler<?>> handlers, Function<List<OneTimeTask<JobRecord>>, Scheduler> schedulers,
         ParkingFailureHandler failures, JdbcClient jdbc, JsonMapper json) {
        this.handlers = handlers;
        this.schedulers = schedulers;
        this.failures = failures;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Enqueues a job to run as soon as possible, in the caller's transaction when there is one.
     *
     * @param reference names the work within its kind (a mail id, a Stripe event id, an idempotency key): while a
     *                  job with the same kind and reference exists (due, retrying or parked), nothing is added
     * @return false when such a job exists already
     */
    public <T> boolean enqueue(JobKind<T> kind, String reference, T data) {
        Engine engine = engine();
        OneTimeTask<JobRecord> task = engine.tasks().get(kind.name());
        if (task == null) {
            throw new IllegalArgumentException("no JobHandler bean for job kind " + kind.name());
        }
        Instant now = Instant.now();
        JsonNode payload = data == null ? null : json.valueToTree(data);
        boolean created = engine.scheduler().scheduleIfNotExists(task.instance(reference, new JobRecord(payload, now, null, null)), now);
        if (created) {
            wakeUpAfterCommit();
        }
        return created;
    }

    /** The kinds this service runs. */
    public Set<String> kinds() {
        return engine().tasks().keySet();
    }

    /** Failed jobs in the given states (of any kind when {@code kind} is null), most recent failure first. */
    public List<JobView> list(Set<JobState> states, String kind, int limit) {
        String state = states.equals(EnumSet.of(JobState.PARKED)) ? " and execution_time >= :parked"
                : states.equals(EnumSet.of(JobState.RETRYING)) ? " and execution_time < :parked" : "";
        return jdbc.sql("select " + COLUMNS + " from scheduled_tasks where consecutive_failures > 0"
                        + " and task_name in (:kinds)" + state
                        + " order by last_failure desc nulls last, task_name, task_instance limit :limit")
                .param("kinds", kind == null ? List.copyOf(kinds()) : List.of(kind))
                .param("parked", Timestamp.from(PARKED))
                .param("limit", limit)
                .query((rs, i) -> view(rs))
                .list();
    }

    /** One job by id ({@code <kind>:<reference>}), failed or not; empty when it does not exist (or is done). */
    public Optional<JobView> find(String id) {
        int colon = id.indexOf(':');
        if (colon < 1 || !kinds().contains(id.substring(0, colon))) {
            return Optional.empty();
        }
        return jdbc.sql("select " + COLUMNS + " from scheduled_tasks where task_name = :kind and task_instance = :ref")
                .param("kind", id.substring(0, colon)).param("ref", id.substring(colon + 1))
                .query((rs, i) -> view(rs))
                .optional();
    }

    /**
     * Runs a retrying or parked job now, with a fresh count of attempts (the last error stays until the next one).
     *
     * @throws NoSuchElementException when there is no such job
     * @throws com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException while it runs
     */
    public JobView retry(String id) {
        JobView job = find(id).orElseThrow(() -> new NoSuchElementException(id));
        TaskInstanceId instance = TaskInstanceId.of(job.kind(), job.reference());
        Scheduler scheduler = engine().scheduler();
        JobRecord record = scheduler.getScheduledExecution(instance)
                .map(e -> (JobRecord) e.getData()).orElseThrow(() -> new NoSuchElementException(id));
        scheduler.reschedule(instance, Instant.now(), record.unparked());
        scheduler.triggerCheckForDueExecutions();
        return find(id).orElse(job);
    }

    /** Retrying and parked jobs per kind (every kind of this service, zeros included). */
    public Map<String, Map<JobState, Long>> counts() {
        Map<String, Map<JobState, Long>> counts = new TreeMap<>();
        kinds().forEach(k -> counts.put(k, new LinkedHashMap<>(Map.of(JobState.RETRYING, 0L, JobState.PARKED, 0L))));
        jdbc.sql("""
                        select task_name, count(*) filter (where execution_time < :parked),
                               count(*) filter (where execution_time >= :parked)
                        from scheduled_tasks where consecutive_failures > 0 group by task_name""")
                .param("parked", Timestamp.from(PARKED))
                .query(rs -> {
                    Map<JobState, Long> of = counts.get(rs.getString(1));
                    if (of != null) {
                        of.put(JobState.RETRYING, rs.getLong(2));
                        of.put(JobState.PARKED, rs.getLong(3));
                    }
                });
        return counts;
    }

    private JobView view(ResultSet rs) throws SQLException {
        String kind = rs.getString("task_name");
        String reference = rs.getString("task_instance");
        Instant next = rs.getTimestamp("execution_time").toInstant();
        int failures = rs.getInt("consecutive_failures");
        Timestamp lastFailure = rs.getTimestamp("last_failure");
        JobRecord record = read(rs.getBytes("task_data"));
        boolean parked = !next.isBefore(PARKED);
        return new JobView(kind + ":" + reference, kind, reference,
                parked ? JobState.PARKED.wireName() : failures > 0 ? JobState.RETRYING.wireName() : JobView.SCHEDULED,
                failures, parked ? null : next, record.lastError(), record.parkedReason(),
                lastFailure == null ? null : lastFailure.toInstant(), record.createdAt());
    }

    private JobRecord read(byte[] data) {
        try {
            return data == null ? new JobRecord(null, null, null, null) : json.readValue(data, JobRecord.class);
        } catch (JacksonException e) {
            return new JobRecord(null, null, "unreadable job data: " + e.getOriginalMessage(), null);
        }
    }

    private void wakeUpAfterCommit() {
        Scheduler scheduler = engine().scheduler();
        AfterCommit.run(scheduler::triggerCheckForDueExecutions);
    }

    private Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    Map<String, OneTimeTask<JobRecord>> tasks = new TreeMap<>();
                    handlers.orderedStream().forEach(handler -> {
                        if (tasks.put(handler.kind().name(), task(handler)) != null) {
                            throw new IllegalStateException("two JobHandler beans for job kind " + handler.kind().name());
                        }
                    });
                    e = new Engine(schedulers.apply(List.copyOf(tasks.values())), Map.copyOf(tasks));
                    engine = e;
                }
            }
        }
        return e;
    }

    private <T> OneTimeTask<JobRecord> task(JobHandler<T> handler) {
        JobKind<T> kind = handler.kind();
        return Tasks.oneTime(kind.name(), JobRecord.class)
                .onFailure(failures)
                .execute((instance, context) -> handler.run(instance.getId(), data(kind, instance.getData())));
    }

    private <T> T data(JobKind<T> kind, JobRecord record) {
        if (kind.dataType() == Void.class || record == null || record.data() == null || record.data().isNull()) {
            return null;
        }
        try {
            return json.treeToValue(record.data(), kind.dataType());
        } catch (JacksonException e) {
            throw new PermanentJobFailure("unreadable data of a " + kind.name() + " job: " + e.getOriginalMessage(), e);
        }
    }

    private record Engine(Scheduler scheduler, Map<String, OneTimeTask<JobRecord>> tasks) {
    }

    @Override
    public void start() {
        engine().scheduler().start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (engine != null) {
            engine.scheduler().stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

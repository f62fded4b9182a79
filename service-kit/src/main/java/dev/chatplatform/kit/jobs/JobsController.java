package dev.chatplatform.kit.jobs;

import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.PageLimit;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place an operator sees what failed and starts it again, served at {@code platform.jobs.admin-path}
 * (a path the gateway routes to the service): {@code analyst} reads, {@code admin} retries.
 */
@RequiresScope(Scope.ANALYST)
@RestController
// the default repeats PlatformProperties.Jobs#adminPath: a placeholder does not see the record's @DefaultValue
@RequestMapping("${platform.jobs.admin-path:/api/v1/admin/jobs}")
class JobsController {

    private final Jobs jobs;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    JobsController(Jobs jobs, AuditLog audit, TransactionTemplate tx) {
        this.jobs = jobs;
        this.audit = audit;
        this.tx = tx;
    }

    /**
     * {@code state}: {@code retrying}, {@code parked} or absent (both); {@code kind}: one kind or absent (all).
     * Answers {@code {"object":"list","data":[JobView...],"counts":{"<kind>":{"parked":n,"retrying":n}}}}.
     */
    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String state,
                             @RequestParam(required = false) String kind,
                             @RequestParam(defaultValue = "50") int limit) {
        Set<JobState> states = state == null ? EnumSet.allOf(JobState.class)
                : EnumSet.of(JobState.parse(state).orElseThrow(() ->
                        ApiException.invalid("invalid_state", "state must be 'retrying' or 'parked'.", "state")));
        if (kind != null && !jobs.kinds().contains(kind)) {
            throw ApiException.invalid("invalid_kind", "kind must be one of " + jobs.kinds() + ".", "kind");
        }
        PageLimit.check(limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", jobs.list(states, kind, limit));
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        jobs.counts().forEach((k, byState) -> byState.forEach((st, n) ->
                counts.computeIfAbsent(k, x -> new TreeMap<>()).put(st.wireName(), n)));
        body.put("counts", counts);
        return body;
    }

    @GetMapping("/{id}")
    JobView one(@PathVariable String id) {
        return jobs.find(id).orElseThrow(() -> notFound(id));
    }

    /**
     * Runs a retrying or parked job now, with a fresh count of attempts. A job that has not failed since it was
     * enqueued or last retried is 409 {@code job_not_failed}: it runs by itself, and a second click changes nothing.
     * The retry is in the audit log ({@code job.retried}, with the optional {@code reason}), in the same transaction.
     */
    @PostMapping("/{id}/retry")
    @RequiresScope(Scope.ADMIN)
    JobView retry(CallerIdentity caller, @PathVariable String id, @RequestBody(required = false) RetryRequest request) {
        String reason = AuditLog.reason(request == null ? null : request.reason());
        JobView job = one(id);
        if (!job.failed()) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "job_not_failed",
                    "Job " + id + " has not failed; it runs by itself" + (job.nextAttemptAt() == null ? "."
                            : " at " + job.nextAttemptAt() + "."), null);
        }
        try {
            return tx.execute(status -> {
                JobView retried = jobs.retry(id);
                audit.record(AuditLog.Actor.of(caller), "job.retried", "job", id, job, retried, reason);
                return retried;
            });
        } catch (NoSuchElementException e) {
            throw notFound(id);
        } catch (TaskInstanceCurrentlyExecutingException e) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "job_running",
                    "Job " + id + " is running right now; look again in a moment.", null);
        }
    }

    /** @param reason why, for the audit log (optional, at most {@value AuditLog#MAX_REASON} characters) */
    record RetryRequest(String reason) {
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("job_not_found", "No job " + id + " (it may have completed).");
    }
}

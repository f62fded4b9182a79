package dev.chatplatform.kit.deadletters;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.DeadLetters;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.OptionalText;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/admin/dead-letters/<service>}: the records this service's consumers could never apply, for
 * {@code analyst} to read and {@code admin} to apply again once the cause is fixed. The service's name is in the
 * path so the gateway routes each service's dead letters to it.
 */
@RequiresScope(Scope.ANALYST)
@RestController
@RequestMapping("/api/v1/admin/dead-letters/${spring.application.name}")
class DeadLettersController {

    private static final Set<String> STATES = Set.of("dead", "applied");

    private final DeadLetters deadLetters;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    DeadLettersController(DeadLetters deadLetters, AuditLog audit, TransactionTemplate tx) {
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.tx = tx;
    }

    /**
     * Newest first: {@code {"object":"list","data":[...],"hasMore","dead":{"<consumer>":n}}}; {@code state}
     * {@code dead} or {@code applied} (absent: both), {@code consumer} one consumer, {@code after} the last id of the
     * previous page.
     */
    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String state,
                             @RequestParam(required = false) String consumer,
                             @RequestParam(required = false) Long after,
                             @RequestParam(defaultValue = "50") int limit) {
        PageLimit.check(limit);
        if (state != null && !STATES.contains(state)) {
            throw ApiException.invalid("invalid_value", "'state' must be 'dead' or 'applied'.", "state");
        }
        List<DeadLetters.View> page = deadLetters.list(state, OptionalText.of(consumer), after, limit + 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", page.subList(0, Math.min(limit, page.size())));
        body.put("hasMore", page.size() > limit);
        body.put("dead", deadLetters.deadByConsumer());
        return body;
    }

    @GetMapping("/{id}")
    DeadLetters.View one(@PathVariable long id) {
        return deadLetters.find(id).orElseThrow(() -> notFound(id));
    }

    /**
     * Hands dead letter {@code id} to the consumer that refused it, now. Applied: the dead letter as it is now
     * ({@code state} {@code applied}), with an audit entry {@code dead-letter.retried} and the caller's
     * {@code reason}. Refused again for good: 422 {@code dead_letter_refused} with the consumer's reason (kept).
     * The database or a dependency away: 503 {@code retry_later}. Already applied: 409 {@code dead_letter_applied}.
     */
    @PostMapping("/{id}/retry")
    @RequiresScope(Scope.ADMIN)
    DeadLetters.View retry(CallerIdentity caller, @PathVariable long id,
                           @RequestBody(required = false) RetryRequest request) {
        String reason = AuditLog.reason(request == null ? null : request.reason());
        DeadLetters.View before = one(id);
        if (before.state().equals("applied")) {
            throw new ApiException(HttpStatus.CONFLICT, "invalid_request_error", "dead_letter_applied",
                    "Dead letter " + id + " was applied by a retry already.", null);
        }
        return switch (deadLetters.retry(before)) {
            case DeadLetters.Retry.Applied applied -> {
                tx.executeWithoutResult(status -> audit.record(AuditLog.Actor.of(caller), "dead-letter.retried",
                        "dead-letter", before.consumer() + "/" + id, Map.of("state", before.state(),
                                "reason", before.reason(), "eventId", String.valueOf(before.eventId())),
                        Map.of("state", applied.deadLetter().state()), reason));
                yield applied.deadLetter();
            }
            case DeadLetters.Retry.Refused refused -> throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "invalid_request_error", "dead_letter_refused", "Consumer " + before.consumer()
                    + " still cannot apply dead letter " + id + ": " + refused.reason(), null);
            case DeadLetters.Retry.Unavailable unavailable -> throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                    "api_error", "retry_later", "Dead letter " + id + " could not be applied now ("
                    + unavailable.reason() + "); nothing changed, try again later.", null);
            case DeadLetters.Retry.NoConsumer gone -> throw new ApiException(HttpStatus.CONFLICT,
                    "invalid_request_error", "consumer_gone", "This version of the service has no consumer "
                    + gone.consumer() + " to apply dead letter " + id + " again.", null);
        };
    }

    /** @param reason why, for the audit log (at most {@value AuditLog#MAX_REASON} characters) */
    record RetryRequest(String reason) {
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("dead_letter_not_found", "No dead letter " + id + ".");
    }
}

package dev.chatplatform.usage.quota.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.usage.quota.BudgetLeases;
import dev.chatplatform.usage.quota.Lease;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Budget leases, for chat-service (one per account and chat-service instance, off the request path): a block of
 * the caller's account's budget its requests draw from in chat-service's memory. Not routed by the gateway.
 */
@RequiresScope(Scope.CHAT)
@RestController
@RequestMapping("/api/v1/leases")
class LeaseController {

    private static final int MAX_HOLDER_LENGTH = 200;
    private static final long MAX_COUNT = 1_000_000_000_000_000L;

    private final BudgetLeases leases;

    LeaseController(BudgetLeases leases) {
        this.leases = leases;
    }

    /** {@code POST /api/v1/leases} {"holder": "..."}: 201 with the lease, or 409 near a limit (take exact holds). */
    @PostMapping
    ResponseEntity<LeaseResponse> grant(CallerIdentity caller, @RequestBody LeaseRequest request) {
        String holder = request.holder();
        if (holder == null || holder.isBlank() || holder.length() > MAX_HOLDER_LENGTH) {
            throw ApiException.invalid("invalid_value", "'holder' is required, at most " + MAX_HOLDER_LENGTH
                    + " characters.", "holder");
        }
        Lease lease = leases.grant(caller.accountId(), holder).orElseThrow(() -> new ApiException(HttpStatus.CONFLICT,
                "invalid_request_error", "lease_not_granted", "The account is near a limit: what is left is not "
                        + "leased, place a hold per request (POST /api/v1/holds).", null));
        return ResponseEntity.status(HttpStatus.CREATED).body(LeaseResponse.of(lease));
    }

    @GetMapping("/{leaseId}")
    LeaseResponse get(CallerIdentity caller, @PathVariable String leaseId) {
        return leases.find(caller.accountId(), leaseId).map(LeaseResponse::of).orElseThrow(() -> notFound(leaseId));
    }

    /**
     * {@code POST /api/v1/leases/{id}/return} with what the requests drawn from it consumed (all of them ended):
     * 204, also when it was returned already; 404 for another account's or an unknown lease.
     */
    @PostMapping("/{leaseId}/return")
    ResponseEntity<Void> giveBack(CallerIdentity caller, @PathVariable String leaseId,
                                  @RequestBody LeaseConsumption consumed) {
        long messages = count("messages", consumed.messages());
        long tokens = count("tokens", consumed.tokens());
        long cost = count("costMicroUsd", consumed.costMicroUsd());
        if (!leases.giveBack(caller.accountId(), leaseId, messages, tokens, cost)) {
            throw notFound(leaseId);
        }
        return ResponseEntity.noContent().build();
    }

    private static long count(String param, Long value) {
        if (value == null || value < 0 || value > MAX_COUNT) {
            throw ApiException.invalid("invalid_value", "'" + param + "' is required, between 0 and 10^18.", param);
        }
        return value;
    }

    private static ApiException notFound(String leaseId) {
        return ApiException.notFound("lease_not_found", "No lease '" + leaseId + "' on this account.");
    }

    /** @param holder the chat-service instance that draws from the lease */
    record LeaseRequest(String holder) {
    }

    /** What the requests drawn from a lease consumed: messages, tokens, and their cost in micro-USD. */
    record LeaseConsumption(Long messages, Long tokens, Long costMicroUsd) {
    }

    /**
     * A lease: at most {@code messages} requests, {@code tokens} tokens (prompt + worst-case output) and
     * {@code costMicroUsd} of worst-case cost may be drawn from it until {@code expiresAt}, for the models
     * {@code allowedModels} ({@code *} = any) allow. {@code tier}, {@code allowedModels} and {@code limits} (the
     * tier's maximum of each limit, named as on {@code quota.v1}) only when granted: the policy the lease was
     * granted under, which the holder compares with each {@code quota.changed.v1} of the account.
     */
    record LeaseResponse(String leaseId, String status, String tier, List<String> allowedModels,
                         Map<String, Long> limits, long messages, long tokens, long costMicroUsd, Instant expiresAt) {

        static LeaseResponse of(Lease l) {
            return new LeaseResponse(l.id(), l.status(), l.tier(), l.allowedModels(), l.limits(), l.messages(),
                    l.tokens(), l.costMicroUsd(), l.expiresAt());
        }
    }
}

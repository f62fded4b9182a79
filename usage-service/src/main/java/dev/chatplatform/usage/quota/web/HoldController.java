package dev.chatplatform.usage.quota.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.openapi.RetryLater;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.usage.quota.HoldResult;
import dev.chatplatform.usage.quota.PlaceHold;
import dev.chatplatform.usage.quota.QuotaService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Budget holds, called by chat-service around every model call with the caller's gateway identity: the hold is
 * always on the caller's own account. Not routed by the gateway.
 */
@RequiresScope(Scope.CHAT)
@RestController
@RequestMapping("/api/v1/holds")
class HoldController {

    private static final int MAX_ID_LENGTH = 200;

    private final QuotaService quota;

    HoldController(QuotaService quota) {
        this.quota = quota;
    }

    @RetryLater
    @PostMapping
    ResponseEntity<HoldResponse> place(CallerIdentity caller, @RequestBody HoldRequest request) {
        String requestId = text("requestId", request.requestId());
        String model = text("model", request.model());
        long prompt = atLeast("promptTokens", request.promptTokens(), 0, true);
        Long maxTokens = request.maxTokens() == null ? null : atLeast("maxTokens", request.maxTokens(), 1, true);
        long in = atLeast("inputPriceMicroUsdPerMillion", request.inputPriceMicroUsdPerMillion(), 0, true);
        long out = atLeast("outputPriceMicroUsdPerMillion", request.outputPriceMicroUsdPerMillion(), 0, true);
        HoldResult result = quota.placeHold(new PlaceHold(caller.accountId(), caller.keyId(), requestId,
                model, prompt, maxTokens, in, out, Boolean.TRUE.equals(request.streamed())));
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(HoldResponse.of(result.hold(), result.tier()));
    }

    @GetMapping("/{holdId}")
    HoldResponse get(CallerIdentity caller, @PathVariable String holdId) {
        return quota.findHold(caller.accountId(), holdId).map(HoldResponse::of).orElseThrow(() -> notFound(holdId));
    }

    /** Releases the hold; 204 also when it was already settled, released or expired. */
    @DeleteMapping("/{holdId}")
    ResponseEntity<Void> release(CallerIdentity caller, @PathVariable String holdId) {
        if (!quota.releaseHold(caller.accountId(), holdId)) {
            throw notFound(holdId);
        }
        return ResponseEntity.noContent().build();
    }

    private static ApiException notFound(String holdId) {
        return ApiException.notFound("hold_not_found", "No hold '" + holdId + "' on this account.");
    }

    private static String text(String param, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("missing_parameter", "'" + param + "' is required.", param);
        }
        if (value.length() > MAX_ID_LENGTH || value.contains(",")) {
            throw ApiException.invalid("invalid_value", "'" + param + "' must be at most " + MAX_ID_LENGTH
                    + " characters without commas.", param);
        }
        return value;
    }

    private static long atLeast(String param, Long value, long min, boolean required) {
        if (value == null) {
            throw ApiException.invalid("missing_parameter", "'" + param + "' is required.", param);
        }
        if (value < min || value > 1_000_000_000_000L) {
            throw ApiException.invalid("invalid_value", "'" + param + "' must be between " + min + " and 10^12.", param);
        }
        return value;
    }
}

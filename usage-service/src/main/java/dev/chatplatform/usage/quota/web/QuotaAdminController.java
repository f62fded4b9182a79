package dev.chatplatform.usage.quota.web;

import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.kit.web.RequiresScope;
import dev.chatplatform.usage.quota.QuotaService;
import dev.chatplatform.usage.quota.Tier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/**
 * Tiers and period anchors, for identities with the admin scope (under /api/v1/usage so the gateway routes it); every
 * change is audited ({@link AuditLog}) with the request's optional reason.
 */
@RestController
@RequestMapping("/api/v1/usage/admin")
class QuotaAdminController {

    private final QuotaService quota;

    QuotaAdminController(QuotaService quota) {
        this.quota = quota;
    }

    @GetMapping("/tiers")
    @RequiresScope(Scope.ANALYST)
    TierResponse.ListResponse tiers() {
        return new TierResponse.ListResponse("list", quota.tiers().stream().map(TierResponse::of).toList());
    }

    @GetMapping("/tiers/{name}")
    @RequiresScope(Scope.ANALYST)
    TierResponse tier(@PathVariable String name) {
        return quota.findTier(name).map(TierResponse::of)
                .orElseThrow(() -> ApiException.notFound("tier_not_found", "No tier '" + name + "'."));
    }

    /** Creates or replaces a tier; the new limits apply at once to every account on it. */
    @PutMapping("/tiers/{name}")
    @RequiresScope(Scope.ADMIN)
    TierResponse putTier(CallerIdentity caller, @PathVariable String name, @RequestBody TierRequest r) {
        String reason = AuditLog.reason(r.reason());
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
            throw ApiException.invalid("invalid_value",
                    "A tier name is 1-40 lower-case letters, digits, '-' or '_'.", "name");
        }
        List<String> models = r.allowedModels();
        if (models == null || models.stream().anyMatch(m -> m == null || m.isBlank() || m.contains(","))) {
            throw ApiException.invalid("invalid_value",
                    "'allowedModels' is a list of model ids without commas (\"*\" = any model).", "allowedModels");
        }
        Tier tier = new Tier(name, count("messagesPerDay", r.messagesPerDay()), count("tokensPerMonth", r.tokensPerMonth()),
                count("costMicroUsdPerMonth", r.costMicroUsdPerMonth()), count("requestsPerMinute", r.requestsPerMinute()),
                count("tokensPerMinute", r.tokensPerMinute()), models.stream().map(String::strip).distinct().toList(), null);
        return TierResponse.of(quota.putTier(tier, AuditLog.Actor.of(caller), reason));
    }

    /** Moves where an account's days and months start; new periods start at once. */
    @PutMapping("/accounts/{accountId}/anchor")
    @RequiresScope(Scope.ADMIN)
    Object anchor(CallerIdentity caller, @PathVariable String accountId, @RequestBody AnchorRequest r) {
        String reason = AuditLog.reason(r.reason());
        ZoneId zone;
        try {
            zone = ZoneId.of(r.timeZone() == null ? "UTC" : r.timeZone());
        } catch (DateTimeException e) {
            throw ApiException.invalid("invalid_value", "'timeZone' must be an IANA zone such as Europe/Paris.", "timeZone");
        }
        int day = r.monthlyAnchorDay() == null ? 1 : r.monthlyAnchorDay();
        if (day < 1 || day > 28) {
            throw ApiException.invalid("invalid_value", "'monthlyAnchorDay' must be between 1 and 28.", "monthlyAnchorDay");
        }
        quota.setAnchor(accountId, zone, day, AuditLog.Actor.of(caller), reason);
        return new AnchorRequest(zone.getId(), day, null);
    }

    private static long count(String param, Long value) {
        if (value == null || value < 0) {
            throw ApiException.invalid(value == null ? "missing_parameter" : "invalid_value",
                    "'" + param + "' is required and must not be negative.", param);
        }
        return value;
    }
}

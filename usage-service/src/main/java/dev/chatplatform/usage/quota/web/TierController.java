package dev.chatplatform.usage.quota.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.usage.quota.QuotaService;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/usage/tiers}: what every tier gives, for any signed-in caller (a billing page compares plans
 * with it). The same list the admin API shows; changing it stays admin-only.
 */
@RestController
@RequiresScope({Scope.CHAT, Scope.ACCOUNT})
class TierController {

    private final QuotaService quota;

    TierController(QuotaService quota) {
        this.quota = quota;
    }

    @GetMapping("/api/v1/usage/tiers")
    TierResponse.ListResponse tiers(CallerIdentity caller) {
        return new TierResponse.ListResponse("list", quota.tiers().stream().map(TierResponse::of).toList());
    }
}

package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.BillingProperties;
import dev.chatplatform.billing.account.Tier;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.Scope;
import dev.chatplatform.kit.web.RequiresScope;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/v1/billing/plans}: how plans are sold here, for a page that offers the upgrade. {@code mode} is
 * {@code stripe} (Checkout and the Portal work) or {@code local} (an administrator assigns tiers); a tier is
 * {@code forSale} when Stripe mode has a price for it, and then carries that price as Stripe states it
 * ({@link PlanPrices}). What each tier gives is usage-service's ({@code GET /api/v1/usage/tiers}).
 */
@RestController
@RequiresScope(Scope.ACCOUNT)
class PlanController {

    /** {@code price} is null for a tier not for sale, or when Stripe could not say what the price charges. */
    record Plan(String tier, boolean forSale, String priceId, PlanPrices.Price price) {
    }

    record PlansResponse(String object, String mode, List<Plan> data) {
    }

    private final BillingProperties.Stripe stripe;
    private final PlanPrices prices;

    PlanController(BillingProperties properties, PlanPrices prices) {
        this.stripe = properties.stripe();
        this.prices = prices;
    }

    @GetMapping("/api/v1/billing/plans")
    PlansResponse plans(CallerIdentity caller) {
        List<Plan> plans = Arrays.stream(Tier.values()).map(tier -> {
            String price = stripe.enabled() ? stripe.priceOf(tier).orElse(null) : null;
            return new Plan(tier.wire(), price != null, price, price == null ? null : prices.of(price));
        }).toList();
        return new PlansResponse("list", stripe.enabled() ? "stripe" : "local", plans);
    }
}

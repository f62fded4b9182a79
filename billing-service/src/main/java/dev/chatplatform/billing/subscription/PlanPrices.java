package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.stripe.StripeGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a Stripe price charges, read from Stripe's own price object ({@code GET /v1/prices/{id}}) so that the plans
 * page shows exactly what Checkout will charge, with no second copy of the amounts in configuration. A price is
 * remembered for {@link #FRESH} (prices are immutable in Stripe except for being archived, so a short cache only
 * bounds how long an archived price is still shown). When Stripe cannot be reached the plan is shown without its
 * price (null) rather than failing the page; the next request asks again.
 */
@Component
class PlanPrices {

    static final Duration FRESH = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(PlanPrices.class);

    /**
     * A recurring price: {@code unitAmount} in integer minor units of {@code currency} (lower case ISO 4217, as Stripe
     * sends it), charged every {@code intervalCount} {@code interval}s ({@code day}, {@code week}, {@code month},
     * {@code year}).
     */
    record Price(long unitAmount, String currency, String interval, long intervalCount) {
    }

    private record Known(Price price, Instant until) {
    }

    private final StripeGateway stripe;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    PlanPrices(StripeGateway stripe, Clock clock) {
        this.stripe = stripe;
        this.clock = clock;
    }

    /** The price's amount and interval, or null when Stripe cannot say (unreachable, or not a flat recurring price). */
    Price of(String priceId) {
        Instant now = clock.instant();
        Known cached = known.get(priceId);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.price();
        }
        try {
            Price price = read(stripe.retrievePrice(priceId));
            known.put(priceId, new Known(price, now.plus(FRESH)));
            return price;
        } catch (StripeGateway.StripeCallFailed e) {
            log.warn("plan price {} not shown: {}", priceId, e.getMessage());
            return null;
        }
    }

    /** Only a flat per-unit recurring price has one amount to show; tiered or decimal-only prices have none. */
    private static Price read(JsonNode price) {
        JsonNode recurring = price.path("recurring");
        if (!price.path("unit_amount").isIntegralNumber() || !price.path("currency").isString()
                || !recurring.path("interval").isString()) {
            return null;
        }
        return new Price(price.path("unit_amount").asLong(), price.path("currency").asString(),
                recurring.path("interval").asString(), recurring.path("interval_count").asLong(1));
    }
}

package dev.chatplatform.billing.subscription;

import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a subscription bills per month for its recurring (licensed) price, in integer minor units of
 * {@code currency}, as Stripe states it: the items' {@code price.unit_amount} × {@code quantity}, brought to a
 * month from {@code price.recurring.interval} and {@code interval_count}, rounded down (a yearly price of 10,000
 * is 833 a month). Integer arithmetic only. Metered items are usage, not a recurring price, and are left out.
 *
 * @param amount   minor units per month, never negative
 * @param currency ISO 4217 code, lower case as Stripe sends it ({@code usd})
 */
public record MonthlyPrice(long amount, String currency) {

    public MonthlyPrice {
        Objects.requireNonNull(currency, "currency");
        if (amount < 0) {
            throw new IllegalArgumentException("a monthly price is never negative");
        }
    }

    /**
     * The monthly price of a Stripe subscription object (a webhook's {@code data.object} or an API answer), or
     * null when it cannot be known exactly: no licensed item, an item without {@code unit_amount} (tiered or
     * fractional prices), an unknown interval, or items in different currencies.
     */
    public static MonthlyPrice of(JsonNode subscription) {
        String currency = null;
        // amounts summed per billing period first, so that rounding down happens once per period, not per item
        Map<Period, Long> perPeriod = new LinkedHashMap<>();
        for (JsonNode item : subscription.path("items").path("data")) {
            JsonNode price = item.path("price");
            JsonNode recurring = price.path("recurring");
            if ("metered".equals(recurring.path("usage_type").asString(null))) {
                continue;
            }
            String itemCurrency = price.path("currency").asString(null);
            long unitAmount = price.path("unit_amount").asLong(-1);
            long quantity = item.path("quantity").asLong(1);
            Period period = new Period(periodsPerYear(recurring.path("interval").asString("")),
                    recurring.path("interval_count").asLong(1));
            if (!price.path("unit_amount").isIntegralNumber() || unitAmount < 0 || quantity < 0
                    || period.perYear() == 0 || period.count() < 1 || itemCurrency == null
                    || (currency != null && !currency.equals(itemCurrency))) {
                return null;
            }
            currency = itemCurrency;
            perPeriod.merge(period, Math.multiplyExact(unitAmount, quantity), Math::addExact);
        }
        if (currency == null) {
            return null;
        }
        long monthly = 0;
        for (Map.Entry<Period, Long> sum : perPeriod.entrySet()) {
            monthly = Math.addExact(monthly, sum.getKey().perMonth(sum.getValue()));
        }
        return new MonthlyPrice(monthly, currency);
    }

    /** Billing every {@code count} intervals, of which there are {@code perYear} in a year. */
    private record Period(long perYear, long count) {

        /** {@code amount} per period as a monthly amount, rounded down: amount × perYear / (12 × count). */
        long perMonth(long amount) {
            return Math.multiplyExact(amount, perYear) / Math.multiplyExact(12, count);
        }
    }

    /** How many of Stripe's {@code interval} make a year (0 for an interval Stripe does not have). */
    private static long periodsPerYear(String interval) {
        return switch (interval) {
            case "day" -> 365;
            case "week" -> 52;
            case "month" -> 12;
            case "year" -> 1;
            default -> 0;
        };
    }
}

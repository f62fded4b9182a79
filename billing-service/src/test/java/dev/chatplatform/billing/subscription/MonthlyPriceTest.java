package dev.chatplatform.billing.subscription;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class MonthlyPriceTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aMonthlyPriceTimesItsQuantity() {
        assertThat(MonthlyPrice.of(subscription(item(2900, "usd", "month", 1, 3))))
                .isEqualTo(new MonthlyPrice(8700, "usd"));
    }

    @Test
    void aYearlyPriceIsDividedByTwelveRoundedDown() {
        assertThat(MonthlyPrice.of(subscription(item(10_000, "eur", "year", 1, 1))))
                .isEqualTo(new MonthlyPrice(833, "eur"));
        assertThat(MonthlyPrice.of(subscription(item(120_005, "usd", "year", 2, 1))))
                .isEqualTo(new MonthlyPrice(5000, "usd"));
    }

    @Test
    void otherIntervalsAndCountsComeToAMonth() {
        assertThat(MonthlyPrice.of(subscription(item(3000, "usd", "month", 3, 1)))).isEqualTo(new MonthlyPrice(1000, "usd"));
        assertThat(MonthlyPrice.of(subscription(item(1000, "usd", "week", 1, 1)))).isEqualTo(new MonthlyPrice(4333, "usd"));
        assertThat(MonthlyPrice.of(subscription(item(100, "usd", "day", 1, 1)))).isEqualTo(new MonthlyPrice(3041, "usd"));
    }

    @Test
    void itemsAreAddedUpAndRoundedOncePerPeriodAndMeteredItemsAreLeftOut() {
        String metered = """
                {"price":{"id":"price_tokens","currency":"usd","unit_amount":2,
                          "recurring":{"interval":"month","interval_count":1,"usage_type":"metered"}}}""";

        // 106 + 106 a year is 212 / 12 = 17 a month (8 + 8 = 16 if each item were rounded on its own)
        assertThat(MonthlyPrice.of(subscription(item(106, "usd", "year", 1, 1), item(106, "usd", "year", 1, 1),
                item(900, "usd", "month", 1, 1), metered))).isEqualTo(new MonthlyPrice(17 + 900, "usd"));
    }

    @Test
    void anUnknowableAmountIsNull() {
        String tiered = """
                {"price":{"id":"price_tiered","currency":"usd","unit_amount":null,"billing_scheme":"tiered",
                          "recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"}},"quantity":1}""";

        assertThat(MonthlyPrice.of(subscription(tiered))).isNull();
        assertThat(MonthlyPrice.of(subscription(item(900, "usd", "month", 1, 1), item(900, "eur", "month", 1, 1)))).isNull();
        assertThat(MonthlyPrice.of(subscription(item(900, "usd", "fortnight", 1, 1)))).isNull();
        assertThat(MonthlyPrice.of(subscription())).isNull();
        assertThat(MonthlyPrice.of(json.readTree("{\"id\":\"sub_1\"}"))).isNull();
    }

    private static String item(long unitAmount, String currency, String interval, int intervalCount, int quantity) {
        return """
                {"id":"si_1","object":"subscription_item","quantity":%d,
                 "price":{"id":"price_1","object":"price","currency":"%s","unit_amount":%d,"billing_scheme":"per_unit",
                          "recurring":{"interval":"%s","interval_count":%d,"usage_type":"licensed"}}}"""
                .formatted(quantity, currency, unitAmount, interval, intervalCount);
    }

    private JsonNode subscription(String... items) {
        return json.readTree("{\"id\":\"sub_1\",\"object\":\"subscription\",\"items\":{\"object\":\"list\",\"data\":["
                + String.join(",", items) + "]}}");
    }
}

package dev.chatplatform.usage.quota;

/** The limits a tier sets on the ledger, with their wire names and the error code of a refused hold. */
public enum LimitName {
    MESSAGES_PER_DAY("messages_per_day", "messages_per_day_exceeded"),
    TOKENS_PER_MONTH("tokens_per_month", "monthly_tokens_exceeded"),
    COST_MICRO_USD_PER_MONTH("cost_micro_usd_per_month", "monthly_budget_exceeded");

    private final String wireName;
    private final String exceededCode;

    LimitName(String wireName, String exceededCode) {
        this.wireName = wireName;
        this.exceededCode = exceededCode;
    }

    public String wireName() {
        return wireName;
    }

    public String exceededCode() {
        return exceededCode;
    }
}

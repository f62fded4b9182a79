package dev.chatplatform.usage.quota;

import java.time.Instant;
import java.util.List;

/**
 * A tier and its limits. Money in integer micro-USD. {@code allowedModels} containing {@code "*"} allows any model.
 */
public record Tier(String name, long messagesPerDay, long tokensPerMonth, long costMicroUsdPerMonth,
                   long requestsPerMinute, long tokensPerMinute, List<String> allowedModels, Instant updatedAt) {

    public static final String ANY_MODEL = "*";

    public Tier {
        allowedModels = List.copyOf(allowedModels);
    }

    public boolean allows(String model) {
        return allowedModels.contains(ANY_MODEL) || allowedModels.contains(model);
    }

    long max(LimitName limit) {
        return switch (limit) {
            case MESSAGES_PER_DAY -> messagesPerDay;
            case TOKENS_PER_MONTH -> tokensPerMonth;
            case COST_MICRO_USD_PER_MONTH -> costMicroUsdPerMonth;
        };
    }
}

package dev.chatplatform.billing.subscription;

import dev.chatplatform.billing.account.Tier;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public record TierRequest(
        @NotNull @Pattern(regexp = Tier.WIRE_PATTERN, message = "must be one of free, basic, pro, enterprise") String tier) {

    Tier toTier() {
        return Tier.fromWire(tier).orElseThrow();
    }
}

package dev.chatplatform.provider.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A catalog entry as admins see it: everything, priced or not, enabled or not.
 *
 * @param priceInForce null when the model has no price in force (it is then refused with model_not_priced)
 * @param prices       the whole price book of the model, oldest first
 */
public record ModelAdminResponse(String id, String provider, String upstreamModel, List<String> aliases,
                                 int contextWindow, int maxOutputTokens, List<String> capabilities, List<String> tiers,
                                 List<String> fallbacks, List<Deployment> deployments, boolean enabled,
                                 Instant createdAt, PriceResponse priceInForce, List<PriceResponse> prices) {

    public record PriceResponse(Instant effectiveFrom, long inputMicroUsdPerMtok, long outputMicroUsdPerMtok,
                                long cachedInputMicroUsdPerMtok) {

        static PriceResponse of(Price p) {
            return new PriceResponse(p.effectiveFrom(), p.inputPerMillion(), p.outputPerMillion(),
                    p.cachedInputPerMillion());
        }
    }

    public record ListResponse(List<ModelAdminResponse> data) {
    }
}

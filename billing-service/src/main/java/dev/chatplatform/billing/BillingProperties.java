package dev.chatplatform.billing;

import dev.chatplatform.billing.account.Tier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Optional;

/**
 * Billing settings under {@code billing.*} (see README for the environment variables).
 *
 * @param stripe       Stripe; without a secret key billing runs in local mode (admins assign tiers)
 * @param dunningGrace how long a past-due account keeps its tier before it drops to free
 * @param mailFrom     sender of receipts and payment notices
 */
@ConfigurationProperties("billing")
public record BillingProperties(@DefaultValue Stripe stripe, @DefaultValue("3d") Duration dunningGrace,
                                @DefaultValue("billing@localhost") String mailFrom) {

    /**
     * @param secretKey        {@code STRIPE_SECRET_KEY}; blank = local mode
     * @param webhookSecret    {@code STRIPE_WEBHOOK_SECRET} ({@code whsec_...}); blank = webhooks refused
     * @param apiBase          {@code STRIPE_API_BASE}: where stripe-java sends its calls
     * @param webhookTolerance how old a signed webhook may be
     * @param priceBasic       price id of the basic tier
     * @param pricePro         price id of the pro tier
     * @param priceEnterprise  price id of the enterprise tier
     * @param priceMetered     optional metered price added to every Checkout subscription (usage-based billing)
     * @param meterEventName   the Billing Meter's event name usage is reported under
     * @param successUrl       where Checkout sends the customer after paying
     * @param cancelUrl        where Checkout sends the customer after giving up
     * @param portalReturnUrl  where the Customer Portal sends the customer back to
     */
    public record Stripe(String secretKey, String webhookSecret,
                         @DefaultValue("https://api.stripe.com") String apiBase,
                         @DefaultValue("300s") Duration webhookTolerance,
                         String priceBasic, String pricePro, String priceEnterprise, String priceMetered,
                         @DefaultValue("chat_tokens") String meterEventName,
                         @DefaultValue("http://localhost:8080/billing/success") String successUrl,
                         @DefaultValue("http://localhost:8080/billing/cancel") String cancelUrl,
                         @DefaultValue("http://localhost:8080/billing") String portalReturnUrl) {

        public boolean enabled() {
            return secretKey != null && !secretKey.isBlank();
        }

        /** The configured price of a paid tier. */
        public Optional<String> priceOf(Tier tier) {
            String price = switch (tier) {
                case FREE -> null;
                case BASIC -> priceBasic;
                case PRO -> pricePro;
                case ENTERPRISE -> priceEnterprise;
            };
            return Optional.ofNullable(price).filter(p -> !p.isBlank());
        }

        /** The tier a price id stands for; empty for a price that is not one of ours. */
        public Optional<Tier> tierOf(String priceId) {
            if (priceId == null) {
                return Optional.empty();
            }
            for (Tier tier : Tier.values()) {
                if (priceOf(tier).filter(priceId::equals).isPresent()) {
                    return Optional.of(tier);
                }
            }
            return Optional.empty();
        }
    }
}

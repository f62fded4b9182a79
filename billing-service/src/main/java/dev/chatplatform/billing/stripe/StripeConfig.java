package dev.chatplatform.billing.stripe;

import com.stripe.StripeClient;
import dev.chatplatform.billing.BillingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class StripeConfig {

    @Bean
    StripeGateway stripeGateway(BillingProperties properties, JsonMapper json) {
        BillingProperties.Stripe stripe = properties.stripe();
        StripeClient client = stripe.enabled()
                ? StripeClient.builder().setApiKey(stripe.secretKey()).setApiBase(stripe.apiBase())
                        .setMeterEventsBase(stripe.apiBase()).setMaxNetworkRetries(2)
                        .setConnectTimeout(5_000).setReadTimeout(20_000).build()
                : null;
        return new StripeGateway(client, stripe, json);
    }
}

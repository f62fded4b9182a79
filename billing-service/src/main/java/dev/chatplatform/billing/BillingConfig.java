package dev.chatplatform.billing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Billing settings, and the scheduled workers (Stripe jobs, webhook processing, dunning, mail, metering). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
@EnableScheduling
class BillingConfig {
}

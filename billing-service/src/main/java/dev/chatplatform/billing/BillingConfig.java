package dev.chatplatform.billing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Billing settings, and the scheduled sweeps (dunning, meter batches); retried work runs as service-kit jobs. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
@EnableScheduling
class BillingConfig {
}

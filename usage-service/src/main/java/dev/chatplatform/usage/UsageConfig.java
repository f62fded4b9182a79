package dev.chatplatform.usage;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Settings and the scheduler (hold sweep, threshold e-mails). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UsageProperties.class)
@EnableScheduling
class UsageConfig {
}

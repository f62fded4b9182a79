package dev.chatplatform.analytics.audit;

import dev.chatplatform.contracts.audit.AuditRecorded;
import dev.chatplatform.kit.events.EventSubscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code analytics-service.audit}: stores every audit entry of {@code audit.v1}, a poll at a time in one transaction.
 * An entry is stored under its entry id, so a redelivered one (or the same entry replayed) changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class AuditConfig {

    @Bean
    EventSubscription auditSubscription(AuditRepository entries) {
        return EventSubscription.batch("audit", AuditRecorded.TYPE,
                events -> events.forEach(e -> entries.store(e.data())));
    }
}

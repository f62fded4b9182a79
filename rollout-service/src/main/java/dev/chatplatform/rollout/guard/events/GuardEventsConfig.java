package dev.chatplatform.rollout.guard.events;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.EventSubscription;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * {@code rollout-service.guard}: the guard's observations from {@code llm-calls.v1} and {@code usage.v1} (a poll's events
 * in one transaction; the kit dead-letters what can never be applied, a usage event breaking a rule of
 * {@link UsageRecorded#violation} among them, and retries the rest), and the
 * guard's schedule.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class GuardEventsConfig {

    @Bean
    EventSubscription guardSubscription(GuardEventHandlers handlers) {
        return EventSubscription.perEvent("guard", LlmCallRecorded.TYPE, handlers::onLlmCall)
                .and(UsageRecorded.TYPE, handlers::onUsage)
                .checkedBy(event -> {
                    if (event.data() instanceof UsageRecorded usage) {
                        UnreadableEventException.refuse(UsageRecorded.TYPE.name(), usage.violation());
                    }
                });
    }
}

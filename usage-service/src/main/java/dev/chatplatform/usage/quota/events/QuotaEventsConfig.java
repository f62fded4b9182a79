package dev.chatplatform.usage.quota.events;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.kit.events.EventSubscription;
import dev.chatplatform.kit.events.UnreadableEventException;
import dev.chatplatform.usage.quota.QuotaService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code usage-service.tiers}: an account's tier comes from subscriptions.v1; until the account has a subscription
 * event, from accounts.v1, which also gives the e-mail for threshold e-mails. The newest version wins, so replays
 * and reordering across partitions' redeliveries are harmless. A record naming a tier usage-service does not have
 * can never be applied: it is dead-lettered and the account keeps its tier.
 */
@Configuration(proxyBeanMethods = false)
class QuotaEventsConfig {

    @Bean
    EventSubscription tiersSubscription(QuotaService quota) {
        return EventSubscription.perEvent("tiers", SubscriptionChanged.TYPE, event -> {
            SubscriptionChanged s = event.data();
            apply(() -> quota.applySubscription(s.accountId(), s.tier(), s.version()));
        }).and(AccountChanged.TYPE, event -> {
            AccountChanged a = event.data();
            apply(() -> quota.applyAccount(a.accountId(), a.tier(), a.email(), a.version()));
        });
    }

    private static void apply(Runnable change) {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException(e.getMessage());
        }
    }
}

package dev.chatplatform.provider.auto;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.kit.events.EventSubscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code provider-service.account-tiers}: feeds {@code account_tiers} from the compacted {@code accounts.v1}. A
 * consumer into a table (not an in-memory view rebuilt at start like the gateway's api keys): every replica shares
 * the table, it survives restarts, and the newest-version-wins upsert makes redelivery harmless without
 * {@code processed_events}. The kit retries a record the database cannot take yet (never skipping it) and
 * dead-letters one that is not a valid account event from billing-service.
 */
@Configuration(proxyBeanMethods = false)
class AccountEventsConfig {

    @Bean
    EventSubscription accountTiersSubscription(AccountTiers tiers) {
        return EventSubscription.perEvent("account-tiers", AccountChanged.TYPE, event -> {
            AccountChanged account = event.data();
            tiers.apply(account.accountId(), account.tier(), account.version());
        });
    }
}

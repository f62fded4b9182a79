package dev.chatplatform.usage.quota.events;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.kit.events.EventSubscription;
import dev.chatplatform.kit.events.UnreadableEventException;
import dev.chatplatform.usage.quota.ProviderCallBilling;
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

    /**
     * {@code usage-service.provider-calls}: provider-service's record of every upstream call. The billed call of a
     * request is kept until the request's hold is settled or expires, so a request chat-service could not bill is
     * billed from it ({@link ProviderCallBilling}).
     */
    @Bean
    EventSubscription providerCallsSubscription(ProviderCallBilling billing) {
        return EventSubscription.perEvent("provider-calls", LlmCallRecorded.TYPE, event -> {
            LlmCallRecorded call = event.data();
            if (call.attempt() < 1 || call.inputTokens() < 0 || call.cachedInputTokens() < 0 || call.outputTokens() < 0
                    || call.costMicroUsd() < 0 || call.latencyMs() < 0 || call.cachedInputTokens() > call.inputTokens()) {
                throw new UnreadableEventException("invalid llm-call.recorded.v1 of request " + call.requestId()
                        + ": an attempt below 1, a negative count, or more cached input tokens than input tokens");
            }
            billing.record(call);
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

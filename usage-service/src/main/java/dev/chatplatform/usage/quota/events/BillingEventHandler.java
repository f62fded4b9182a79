package dev.chatplatform.usage.quota.events;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.SubscriptionChanged;
import dev.chatplatform.contracts.billing.Topics;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.UnreadableEventException;
import dev.chatplatform.usage.quota.QuotaService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * An account's tier comes from subscriptions.v1; until the account has a subscription event, from accounts.v1,
 * which also gives the e-mail for threshold e-mails. The newest version wins, so replays and reordering
 * across partitions' redeliveries are harmless. A record naming a tier usage-service does not have is skipped
 * (logged): the account keeps its tier.
 */
@Component
class BillingEventHandler {

    private final EventReader reader;
    private final QuotaService quota;

    BillingEventHandler(EventReader reader, QuotaService quota) {
        this.reader = reader;
        this.quota = quota;
    }

    @KafkaListener(topics = Topics.SUBSCRIPTIONS)
    void onSubscription(ConsumerRecord<String, String> record) {
        SubscriptionChanged s = reader.read(record, SubscriptionChanged.TYPE).data();
        apply(() -> quota.applySubscription(s.accountId(), s.tier(), s.version()));
    }

    @KafkaListener(topics = Topics.ACCOUNTS)
    void onAccount(ConsumerRecord<String, String> record) {
        AccountChanged a = reader.read(record, AccountChanged.TYPE).data();
        apply(() -> quota.applyAccount(a.accountId(), a.tier(), a.email(), a.version()));
    }

    private static void apply(Runnable change) {
        try {
            change.run();
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException(e.getMessage());
        }
    }
}

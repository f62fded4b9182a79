package dev.chatplatform.provider.auto;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.contracts.billing.Topics;
import dev.chatplatform.kit.events.EventReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds {@code account_tiers} from the compacted {@code accounts.v1}. A plain listener into a table (not an
 * in-memory view rebuilt at start like the gateway's api keys): every replica shares the table, it survives
 * restarts, and the newest-version-wins upsert makes redelivery harmless without {@code processed_events}.
 */
@Component
class AccountEventsListener {

    private final EventReader reader;
    private final AccountTiers tiers;

    AccountEventsListener(EventReader reader, AccountTiers tiers) {
        this.reader = reader;
        this.tiers = tiers;
    }

    @KafkaListener(topics = Topics.ACCOUNTS)
    void onAccount(ConsumerRecord<String, String> record) {
        AccountChanged account = reader.read(record, AccountChanged.TYPE).data();
        tiers.apply(account.accountId(), account.tier(), account.version());
    }
}

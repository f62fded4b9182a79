package dev.chatplatform.gateway.account;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.kit.events.CompactedTopicFollower;
import dev.chatplatform.kit.events.EventReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;

import java.time.Duration;
import java.util.function.Supplier;

/** Reads {@code accounts.v1} into the {@link AccountView} and keeps following it (see {@link CompactedTopicFollower}). */
public class AccountViewFollower extends CompactedTopicFollower<AccountChanged> {

    public AccountViewFollower(String service, AccountView view, EventReader reader, MeterRegistry meters,
                              Supplier<Consumer<String, String>> consumers,
                               Duration pollTimeout) {
        super(service, "account-view", AccountChanged.TYPE, Start.BEGINNING, new Sink<>() {
            @Override
            public void apply(AccountChanged account) {
                view.apply(account);
            }

            @Override
            public void remove(String accountId) {
                view.remove(accountId);
            }
        }, reader, meters, consumers, pollTimeout);
    }
}

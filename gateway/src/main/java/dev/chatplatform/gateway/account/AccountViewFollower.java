package dev.chatplatform.gateway.account;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.gateway.view.CompactedTopicFollower;
import dev.chatplatform.kit.events.EventReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;

import java.time.Duration;
import java.util.function.Supplier;

/** Reads {@code accounts.v1} into the {@link AccountView} and keeps following it (see {@link CompactedTopicFollower}). */
public class AccountViewFollower extends CompactedTopicFollower<AccountChanged> {

    public AccountViewFollower(AccountView view, EventReader reader, MeterRegistry meters,
                              Supplier<Consumer<String, String>> consumers,
                               Duration pollTimeout) {
        super("account-view", AccountChanged.TYPE, new Sink<>() {
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

package dev.chatplatform.gateway.apikey;

import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.kit.events.CompactedTopicFollower;
import dev.chatplatform.kit.events.EventReader;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;

import java.time.Duration;
import java.util.function.Supplier;

/** Reads {@code api-keys.v1} into the {@link ApiKeyView} and keeps following it (see {@link CompactedTopicFollower}). */
public class ApiKeyViewFollower extends CompactedTopicFollower<ApiKeyChanged> {

    public ApiKeyViewFollower(String service, ApiKeyView view, EventReader reader, MeterRegistry meters,
                              Supplier<Consumer<String, String>> consumers,
                              Duration pollTimeout) {
        super(service, "api-key-view", ApiKeyChanged.TYPE, Start.BEGINNING, new Sink<>() {
            @Override
            public void apply(ApiKeyChanged key) {
                view.apply(key);
            }

            @Override
            public void remove(String keyId) {
                view.remove(keyId);
            }
        }, reader, meters, consumers, pollTimeout);
    }
}

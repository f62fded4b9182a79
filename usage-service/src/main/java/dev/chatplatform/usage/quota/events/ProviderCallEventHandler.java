package dev.chatplatform.usage.quota.events;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.provider.Topics;
import dev.chatplatform.kit.events.EventReader;
import dev.chatplatform.kit.events.UnreadableEventException;
import dev.chatplatform.usage.quota.ProviderCallBilling;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * provider-service's record of every upstream call ({@code llm-calls.v1}): the billed call of a request is kept
 * until the request's hold is settled or expires, so a request chat-service could not bill is billed from it
 * ({@link ProviderCallBilling}). Self-contained on purpose (one listener, the service's shared error handler): it
 * moves onto service-kit's event subscription as it is.
 */
@Component
class ProviderCallEventHandler {

    private final EventReader reader;
    private final ProviderCallBilling billing;

    ProviderCallEventHandler(EventReader reader, ProviderCallBilling billing) {
        this.reader = reader;
        this.billing = billing;
    }

    @KafkaListener(topics = Topics.LLM_CALLS)
    void on(ConsumerRecord<String, String> record) {
        LlmCallRecorded call = reader.read(record, LlmCallRecorded.TYPE).data();
        if (call.attempt() < 1 || call.inputTokens() < 0 || call.cachedInputTokens() < 0 || call.outputTokens() < 0
                || call.costMicroUsd() < 0 || call.latencyMs() < 0 || call.cachedInputTokens() > call.inputTokens()) {
            throw new UnreadableEventException("invalid llm-call.recorded.v1 of request " + call.requestId()
                    + ": an attempt below 1, a negative count, or more cached input tokens than input tokens");
        }
        billing.record(call);
    }
}

package dev.chatplatform.provider.llmcall;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.provider.auto.AutoSelections;
import dev.chatplatform.provider.routing.Attempt;
import dev.chatplatform.provider.routing.AttemptListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;

/**
 * Turns each routed {@link Attempt} into an {@link LlmCallRecorded} in the outbox, in a transaction of its
 * own (there is no state change to share it with). The cause is {@code requestId + ":" + attempt}, so the
 * same attempt is never published twice. {@code flagVariants} are the ones the request was routed under
 * (see {@code RoutingFlags}).
 */
@Component
class LlmCallPublisher implements AttemptListener {

    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final AutoSelections autoSelections;

    LlmCallPublisher(Outbox outbox, TransactionTemplate transactions, AutoSelections autoSelections) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.autoSelections = autoSelections;
    }

    @Override
    public void recorded(Attempt a) {
        var event = new LlmCallRecorded(a.requestId(), a.accountId(), a.number(), a.target().provider(),
                a.target().modelId(), a.target().upstreamModel(), LlmCallRecorded.Outcome.valueOf(a.outcome().name()),
                a.errorClass(), a.latencyMs(), a.timeToFirstTokenMs(), a.usage().promptTokens(),
                a.usage().cachedTokens(), a.usage().completionTokens(), a.costMicroUsd(), a.usage().estimated(),
                a.target().flagVariants(), Instant.now(), autoSelections.reasonFor(a.requestId()), false);
        transactions.executeWithoutResult(status -> outbox.publish(LlmCallRecorded.TYPE,
                a.requestId() + ":" + a.number(), a.accountId(), a.accountId(), event));
    }
}

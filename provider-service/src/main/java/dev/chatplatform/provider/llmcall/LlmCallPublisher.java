package dev.chatplatform.provider.llmcall;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.provider.auto.AutoSelections;
import dev.chatplatform.provider.routing.Attempt;
import dev.chatplatform.provider.routing.AttemptListener;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Turns each routed {@link Attempt} into an {@link LlmCallRecorded} in the outbox, detached from the request's
 * thread ({@link Outbox#publishDetached}): a streaming client that disconnects interrupts that thread, and the
 * attempt must be recorded all the same (the rollout guard and analytics count it). The cause is {@code requestId + ":" + attempt}, so the
 * same attempt is never published twice. {@code flagVariants} are the ones the request was routed under
 * (see {@code RoutingFlags}).
 */
@Component
class LlmCallPublisher implements AttemptListener {

    private final Outbox outbox;
    private final AutoSelections autoSelections;

    LlmCallPublisher(Outbox outbox, AutoSelections autoSelections) {
        this.outbox = outbox;
        this.autoSelections = autoSelections;
    }

    @Override
    public void recorded(Attempt a) {
        var event = new LlmCallRecorded(a.requestId(), a.accountId(), a.number(), a.target().provider(),
                a.target().modelId(), a.target().upstreamModel(), LlmCallRecorded.Outcome.valueOf(a.outcome().name()),
                a.errorClass(), a.latencyMs(), a.timeToFirstTokenMs(), a.usage().promptTokens(),
                a.usage().cachedTokens(), a.usage().completionTokens(), a.costMicroUsd(), a.usage().estimated(),
                a.target().flagVariants(), Instant.now(), autoSelections.reasonFor(a.requestId()), false);
        outbox.publishDetached(LlmCallRecorded.TYPE, a.requestId() + ":" + a.number(), a.accountId(), a.accountId(),
                event);
    }
}

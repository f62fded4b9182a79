package dev.chatplatform.rollout.guard.events;

import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.rollout.guard.GuardService;
import org.springframework.stereotype.Component;

/**
 * Turns {@code llm-calls.v1} ({@code llm-call.recorded.v1} of contracts, tagged with {@code flagVariants} by
 * provider-service) and {@code usage.v1} (attributed by account) into observations. Idempotent: an observation
 * is keyed by source, event id and flag.
 */
@Component
class GuardEventHandlers {

    private final GuardService guard;

    GuardEventHandlers(GuardService guard) {
        this.guard = guard;
    }

    void onLlmCall(InboundEvent<LlmCallRecorded> event) {
        LlmCallRecorded call = event.data();
        Boolean failed = failed(call.outcome());
        if (failed == null || call.flagVariants().isEmpty()) {
            return;
        }
        guard.observeTagged(GuardService.LLM_CALLS, event.id(), call.flagVariants(), failed, call.latencyMs(),
                call.costMicroUsd(), call.occurredAt());
    }

    /**
     * Whether a call counts as an error, or null when it is not an observation at all. One observation per
     * request: its last call, SUCCESS or ERROR (the request failed, or broke after its answer had started).
     * RETRY and FALLBACK are intermediate attempts of a request that went on (its last call tells how it
     * ended), and CLIENT_GONE is the client's doing, neither a success nor an error of the variant.
     */
    static Boolean failed(LlmCallRecorded.Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> false;
            case ERROR -> true;
            case RETRY, FALLBACK, CLIENT_GONE -> null;
        };
    }

    void onUsage(InboundEvent<UsageRecorded> event) {
        UsageRecorded u = event.data();
        guard.observeAccount(GuardService.USAGE, event.id(), u.accountId(),
                u.outcome() == UsageRecorded.Outcome.UPSTREAM_ERROR, u.latencyMs(), u.costMicroUsd(), u.occurredAt());
    }
}

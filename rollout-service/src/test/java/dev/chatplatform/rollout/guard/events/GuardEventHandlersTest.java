package dev.chatplatform.rollout.guard.events;

import dev.chatplatform.contracts.provider.LlmCallRecorded.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GuardEventHandlersTest {

    @Test
    void onlyTheLastCallOfARequestIsAnObservationAndOnlyErrorIsAnError() {
        assertThat(GuardEventHandlers.failed(Outcome.SUCCESS)).isFalse();
        assertThat(GuardEventHandlers.failed(Outcome.ERROR)).isTrue();
        assertThat(GuardEventHandlers.failed(Outcome.RETRY)).isNull();
        assertThat(GuardEventHandlers.failed(Outcome.FALLBACK)).isNull();
        assertThat(GuardEventHandlers.failed(Outcome.CLIENT_GONE)).isNull();
    }
}

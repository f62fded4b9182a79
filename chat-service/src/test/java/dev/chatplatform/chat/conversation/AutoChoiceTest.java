package dev.chatplatform.chat.conversation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AutoChoiceTest {

    @Test
    void readsTheModelAndTheReasonProviderServiceSends() {
        AutoChoice choice = AutoChoice.parse("sim-1-mini; reason=\"cheapest of 2 models allowed for tier free\"");

        assertThat(choice).isEqualTo(new AutoChoice("sim-1-mini", "cheapest of 2 models allowed for tier free"));
    }

    @Test
    void aModelWithoutAReasonIsStillAChoice() {
        assertThat(AutoChoice.parse("sim-1")).isEqualTo(new AutoChoice("sim-1", null));
    }

    @Test
    void noHeaderOrAnEmptyModelIsNoChoice() {
        assertThat(AutoChoice.parse(null)).isNull();
        assertThat(AutoChoice.parse("  ")).isNull();
        assertThat(AutoChoice.parse("; reason=\"x\"")).isNull();
    }

    @Test
    void anOverlongReasonIsCutToWhatTheColumnHolds() {
        AutoChoice choice = AutoChoice.parse("sim-1; reason=\"" + "r".repeat(800) + "\"");

        assertThat(choice.reason()).hasSize(500);
    }
}

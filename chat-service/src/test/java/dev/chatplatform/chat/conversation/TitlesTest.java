package dev.chatplatform.chat.conversation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TitlesTest {

    @Test
    void aShortFirstMessageIsTheTitleOnOneLine() {
        assertThat(Titles.fromFirstMessage("  How do\n tides   work? ", 60)).isEqualTo("How do tides work?");
    }

    @Test
    void aLongFirstMessageIsCutAtAWordBoundary() {
        String title = Titles.fromFirstMessage("Please explain in detail how the moon causes the tides on the earth", 30);
        assertThat(title).isEqualTo("Please explain in detail how…").hasSizeLessThanOrEqualTo(30);
    }

    @Test
    void aBlankMessageGivesNoTitle() {
        assertThat(Titles.fromFirstMessage(" \n ", 60)).isNull();
    }
}

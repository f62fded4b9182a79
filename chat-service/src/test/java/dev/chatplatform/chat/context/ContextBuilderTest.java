package dev.chatplatform.chat.context;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The truncation policy, with one token per word so sizes are easy to follow: a message costs 4 + words. */
class ContextBuilderTest {

    private final ContextBuilder builder = new ContextBuilder(s -> s.isBlank() ? 0 : s.strip().split("\\s+").length);

    private static ContextMessage user(String text) {
        return new ContextMessage("user", text);
    }

    private static ContextMessage assistant(String text) {
        return new ContextMessage("assistant", text);
    }

    private static final List<ContextMessage> HISTORY = List.of(
            user("one two three four five six"),          // 10
            assistant("a b c d e f"),                    // 10
            user("seven eight nine ten eleven twelve"),   // 10
            assistant("g h i j k l"));                   // 10

    @Test
    void everythingGoesWhenItFits() {
        Context context = builder.build("be brief", HISTORY, user("next"), 1000, 100);

        assertThat(context.messages()).hasSize(6);
        assertThat(context.messages().getFirst()).isEqualTo(new ContextMessage("system", "be brief"));
        assertThat(context.messages().getLast()).isEqualTo(user("next"));
        assertThat(context.truncated()).isFalse();
        // priming 3 + system (4+2) + 4 history messages (4 x 10) + latest (4+1)
        assertThat(context.promptTokens()).isEqualTo(3 + 6 + 40 + 5);
    }

    @Test
    void theOldestTurnsGoFirstAndTheSystemPromptAndNewestMessageStay() {
        // budget 40 - 6 = 34: priming 3 + system 6 + latest 5 = 14, room for 2 history messages (20)
        Context context = builder.build("be brief", HISTORY, user("next"), 40, 6);

        assertThat(context.messages()).containsExactly(new ContextMessage("system", "be brief"),
                HISTORY.get(2), HISTORY.get(3), user("next"));
        assertThat(context.truncated()).isTrue();
        assertThat(context.droppedMessages()).isEqualTo(2);
        assertThat(context.promptTokens()).isLessThanOrEqualTo(34);
    }

    @Test
    void anAnswerWhoseQuestionWasDroppedGoesToo() {
        // room for 3 history messages would keep "assistant, user, assistant": the leading answer is dropped
        Context context = builder.build(null, HISTORY, user("next"), 3 + 5 + 30 + 10, 10);

        assertThat(context.messages()).containsExactly(HISTORY.get(2), HISTORY.get(3), user("next"));
        assertThat(context.droppedMessages()).isEqualTo(2);
    }

    @Test
    void olderMessagesAreNeverSlippedInPastAGap() {
        List<ContextMessage> history = List.of(user("x"), assistant("y"),
                user("a very long question with many many many many words in it here"), assistant("z"));
        Context context = builder.build(null, history, user("next"), 3 + 5 + 5 + 1, 0);

        assertThat(context.messages()).containsExactly(user("next"));
        assertThat(context.droppedMessages()).isEqualTo(4);
    }

    @Test
    void aMessageThatCannotFitEvenAloneIsRefused() {
        assertThatThrownBy(() -> builder.build("be brief", HISTORY, user("one two three four five six seven"), 20, 4))
                .isInstanceOf(ContextTooLongException.class)
                .satisfies(e -> {
                    ContextTooLongException tooLong = (ContextTooLongException) e;
                    assertThat(tooLong.required()).isEqualTo(3 + 6 + 11);
                    assertThat(tooLong.available()).isEqualTo(16);
                });
    }

    @Test
    void countsWithTheRealTokenizerToo() {
        ContextBuilder real = new ContextBuilder(new TokenCounter()::count);
        Context context = real.build(null, List.of(), user("Hello there"), 100, 10);
        // 3 priming + 3 framing + "user" (1) + "Hello there" (2)
        assertThat(context.promptTokens()).isEqualTo(9);
    }
}

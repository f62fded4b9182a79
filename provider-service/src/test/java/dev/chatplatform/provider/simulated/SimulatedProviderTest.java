package dev.chatplatform.provider.simulated;

import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedProviderTest {

    private static final Tokenizer TOKENIZER = new Tokenizer();
    private final SimulatedProvider provider = new SimulatedProvider(TOKENIZER, new SimulatedProperties(Duration.ZERO, 0));

    @Test
    void theSameConversationGetsTheSameAnswerAndCounts() throws IOException {
        Generation first = provider.generate(request("sim-1", "What is a token?", 1000), GenerationObserver.IGNORE);
        Generation again = new SimulatedProvider(new Tokenizer(), new SimulatedProperties(Duration.ZERO, 0))
                .generate(request("sim-1", "What is a token?", 1000), GenerationObserver.IGNORE);

        assertThat(again).isEqualTo(first);
        assertThat(first.finishReason()).isEqualTo("stop");
        assertThat(first.usage().completionTokens()).isEqualTo(TOKENIZER.count(first.content()));
        assertThat(first.usage().promptTokens())
                .isEqualTo(TOKENIZER.countPrompt(List.of(ProviderMessage.of("user", "What is a token?"))));
        assertThat(first.usage().estimated()).isFalse();
    }

    @Test
    void anotherConversationOrModelGetsAnotherAnswer() throws IOException {
        String a = provider.generate(request("sim-1", "What is a token?", 1000), GenerationObserver.IGNORE).content();
        String b = provider.generate(request("sim-1", "What is a stream?", 1000), GenerationObserver.IGNORE).content();
        String c = provider.generate(request("sim-1-mini", "What is a token?", 1000), GenerationObserver.IGNORE).content();
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void answersReadLikeSentencesOfTwentyToAHundredTwentyTokens() throws IOException {
        for (int i = 0; i < 200; i++) {
            Generation g = provider.generate(request("sim-1", "question " + i, 1000), GenerationObserver.IGNORE);
            assertThat(g.usage().completionTokens()).isBetween(SimulatedText.MIN_TOKENS, SimulatedText.MAX_TOKENS);
            assertThat(g.content()).matches("[A-Z][a-z ,.A-Z]*\\.");
        }
    }

    @Test
    void maxTokensCutsTheAnswerWithFinishReasonLength() throws IOException {
        Generation full = provider.generate(request("sim-1", "Tell me more", 1000), GenerationObserver.IGNORE);
        Generation cut = provider.generate(request("sim-1", "Tell me more", 5), GenerationObserver.IGNORE);

        assertThat(cut.usage().completionTokens()).isEqualTo(5);
        assertThat(cut.finishReason()).isEqualTo("length");
        assertThat(full.content()).startsWith(cut.content());
        assertThat(cut.content()).isNotEqualTo(full.content());
    }

    @Test
    void aStopSequenceEndsTheAnswerBeforeIt() throws IOException {
        String full = provider.generate(request("sim-1", "Tell me more", 1000), GenerationObserver.IGNORE).content();
        String stopAt = full.substring(full.indexOf(' ') + 1, full.indexOf(' ') + 4);
        var withStop = new ProviderRequest("sim-1", List.of(ProviderMessage.of("user", "Tell me more")), 1000,
                List.of(stopAt), null, null);

        Generation stopped = provider.generate(withStop, GenerationObserver.IGNORE);

        assertThat(stopped.content()).isEqualTo(full.substring(0, full.indexOf(stopAt)));
        assertThat(stopped.finishReason()).isEqualTo("stop");
    }

    @Test
    void streamsOneTokenAtATimeWithCumulativeUsage() throws IOException {
        List<String> pieces = new ArrayList<>();
        List<TokenUsage> usages = new ArrayList<>();
        Generation g = provider.generate(request("sim-1", "Stream it", 1000), new GenerationObserver() {
            @Override
            public void started(TokenUsage usage) {
                usages.add(usage);
            }

            @Override
            public void delta(String content, TokenUsage usageSoFar) {
                pieces.add(content);
                usages.add(usageSoFar);
            }
        });

        assertThat(String.join("", pieces)).isEqualTo(g.content());
        assertThat(pieces).hasSize(g.usage().completionTokens());
        for (int i = 0; i < usages.size(); i++) {
            assertThat(usages.get(i).completionTokens()).isEqualTo(i);
        }
    }

    @Test
    void stopsGeneratingWhenTheReceiverIsGone() {
        List<String> pieces = new ArrayList<>();
        assertThatThrownBy(() -> provider.generate(request("sim-1", "Stream it", 1000), new GenerationObserver() {
            @Override
            public void started(TokenUsage usage) {
            }

            @Override
            public void delta(String content, TokenUsage usageSoFar) throws IOException {
                pieces.add(content);
                if (pieces.size() == 3) {
                    throw new IOException("client went away");
                }
            }
        })).isInstanceOf(IOException.class);
        assertThat(pieces).hasSize(3);
    }

    @Test
    void honoursTheConfiguredPace() throws IOException {
        var paced = new SimulatedProvider(TOKENIZER, new SimulatedProperties(Duration.ofMillis(100), 200));
        long start = System.nanoTime();
        Generation g = paced.generate(request("sim-1", "Pace me", 10), GenerationObserver.IGNORE);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(g.usage().completionTokens()).isEqualTo(10);
        // 100 ms to the first token, then 9 more at 5 ms each
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(145);
    }

    private static ProviderRequest request(String model, String prompt, int maxTokens) {
        return new ProviderRequest(model, List.of(ProviderMessage.of("user", prompt)), maxTokens, List.of(), null, null);
    }
}

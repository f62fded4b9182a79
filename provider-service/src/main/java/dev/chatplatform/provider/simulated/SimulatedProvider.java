package dev.chatplatform.provider.simulated;

import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.Tokenizer;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The simulated model. The whole answer is decided up front (so stream and non-stream agree exactly),
 * then released one token at a time at the configured pace. Temperature and top_p are accepted and ignored:
 * the answer depends only on the model and the conversation.
 */
@Component
class SimulatedProvider implements ChatProvider {

    static final String NAME = "simulated";

    private final Tokenizer tokenizer;
    private final SimulatedProperties properties;

    SimulatedProvider(Tokenizer tokenizer, SimulatedProperties properties) {
        this.tokenizer = tokenizer;
        this.properties = properties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Generation generate(ProviderRequest request, GenerationObserver observer) throws IOException {
        String text = SimulatedText.answer(SimulatedText.seed(request.model(), request.messages()), tokenizer::count);
        String finishReason = "stop";
        text = cutAtFirstStopSequence(text, request.stop());
        int[] tokens = tokenizer.encode(text);
        int emitted = tokens.length;
        if (emitted > request.maxTokens()) {
            emitted = request.maxTokens();
            finishReason = "length";
        }
        List<String> pieces = tokenizer.pieces(Arrays.copyOf(tokens, emitted));

        TokenUsage usage = new TokenUsage(tokenizer.countPrompt(request.messages()), 0, 0, false);
        observer.started(usage);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            pause(i == 0 ? properties.firstTokenDelay() : properties.interTokenDelay());
            content.append(pieces.get(i));
            usage = usage.withCompletionTokens(i + 1);
            observer.delta(pieces.get(i), usage);
        }
        return new Generation(content.toString(), finishReason, usage);
    }

    private static String cutAtFirstStopSequence(String text, List<String> stop) {
        int cut = text.length();
        for (String s : stop) {
            int at = s.isEmpty() ? -1 : text.indexOf(s);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return text.substring(0, cut);
    }

    private static void pause(Duration delay) throws InterruptedIOException {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("generation interrupted");
        }
    }
}

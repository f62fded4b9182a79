package dev.chatplatform.provider.completion;

import dev.chatplatform.provider.catalog.Model;
import dev.chatplatform.provider.catalog.Price;
import dev.chatplatform.provider.catalog.PricedModel;
import dev.chatplatform.provider.routing.CallContext;
import dev.chatplatform.provider.routing.RouteTarget;
import dev.chatplatform.provider.routing.Router;
import dev.chatplatform.provider.routing.TestRouting;
import dev.chatplatform.provider.upstream.ChatProvider;
import dev.chatplatform.provider.upstream.ProviderRegistry;
import dev.chatplatform.provider.upstream.Generation;
import dev.chatplatform.provider.upstream.GenerationObserver;
import dev.chatplatform.provider.upstream.ProviderMessage;
import dev.chatplatform.provider.upstream.ProviderRequest;
import dev.chatplatform.provider.upstream.TokenUsage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompletionStreamTest {

    private static final PricedModel SIM_1 = new PricedModel(
            new Model("sim-1", "fake", "sim-1", 1000, 100, List.of(), Instant.EPOCH),
            new Price("sim-1", Instant.EPOCH, 500_000, 1_500_000, 250_000));

    private final FakeProvider provider = new FakeProvider(List.of("Hello", ",", " world", "."));
    private final CompletionService service = new CompletionService(null, null,
            new Router(new ProviderRegistry(List.of(provider)), TestRouting.defaults(), List.of()), null,
            JsonMapper.builder().build(), null, new dev.chatplatform.provider.auto.AutoSelections(), null, null);

    @Test
    void everyEventIsFlushedBeforeTheNextTokenIsGenerated() {
        RecordingStream out = new RecordingStream(Integer.MAX_VALUE);
        provider.out = out;

        service.stream(call(), () -> out, out);

        // role chunk + 4 tokens, each already flushed when the provider produced the next piece
        assertThat(provider.flushedEventsBeforeEachPiece).containsExactly(1, 2, 3, 4);
        List<String> events = out.flushedEvents();
        assertThat(events).hasSize(1 + 4 + 1 + 1 + 1);
        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        assertThat(events.get(events.size() - 2)).contains("\"choices\":[]").contains("\"usage\":{\"prompt_tokens\":10");
        assertThat(events.get(1)).contains("\"x_platform\":{\"provider\":\"fake\",\"prompt_tokens\":10,"
                + "\"completion_tokens\":1,\"cost_micro_usd\":7,\"usage_estimated\":false,\"model\":\"sim-1\"}");
    }

    @Test
    void generationStopsWhenTheClientGoesAway() {
        RecordingStream out = new RecordingStream(3);
        provider.out = out;

        service.stream(call(), () -> out, out);

        assertThat(provider.piecesProduced).isEqualTo(2);
    }

    private PreparedCompletion call() {
        var request = new ProviderRequest("sim-1", List.of(ProviderMessage.of("user", "hi")), 100, List.of(), null, null);
        return new PreparedCompletion("chatcmpl-test", 1, SIM_1, List.of(new RouteTarget(SIM_1, "fake", "sim-1")), request,
                new CallContext("req-1", "acc-1"));
    }

    private static final class FakeProvider implements ChatProvider {
        private final List<String> pieces;
        final List<Integer> flushedEventsBeforeEachPiece = new ArrayList<>();
        int piecesProduced;
        RecordingStream out;

        FakeProvider(List<String> pieces) {
            this.pieces = pieces;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Generation generate(ProviderRequest request, GenerationObserver observer) throws IOException {
            TokenUsage usage = new TokenUsage(10, 0, 0, false);
            observer.started(usage);
            for (String piece : pieces) {
                flushedEventsBeforeEachPiece.add(out.flushedEvents().size());
                piecesProduced++;
                usage = usage.withCompletionTokens(usage.completionTokens() + 1);
                observer.delta(piece, usage);
            }
            return new Generation(String.join("", pieces), "stop", usage);
        }
    }

    /** Remembers what was flushed; fails like a closed socket from the {@code failAt}-th flush on. */
    private static final class RecordingStream extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private final StringBuilder flushed = new StringBuilder();
        private final int failAt;
        private int flushes;

        RecordingStream(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (++flushes >= failAt) {
                throw new IOException("Broken pipe");
            }
            flushed.append(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }

        List<String> flushedEvents() {
            return flushed.isEmpty() ? List.of() : List.of(flushed.toString().split("\n\n"));
        }
    }
}

package dev.chatplatform.chat.completion;

import dev.chatplatform.contracts.usage.UsageRecorded.Outcome;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SseRelayTest {

    private final SseRelay relay = new SseRelay(JsonMapper.builder().build());

    private static String chunk(String content, int completionTokens, int cost) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"sim-1\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}],"
                + "\"x_platform\":{\"provider\":\"simulated\",\"prompt_tokens\":10,\"completion_tokens\":" + completionTokens
                + ",\"cost_micro_usd\":" + cost + ",\"usage_estimated\":false}}";
    }

    private static final String USAGE_CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":4}},"
            + "\"x_platform\":{\"provider\":\"simulated\",\"prompt_tokens\":10,\"completion_tokens\":2,"
            + "\"cost_micro_usd\":8,\"usage_estimated\":false}}";

    private static List<String> complete() {
        return List.of(chunk("Hel", 1, 7), "", chunk("lo", 2, 8), "", USAGE_CHUNK, "", "data: [DONE]", "");
    }

    private static List<String> dataLines(ByteArrayOutputStream out) {
        String body = out.toString(StandardCharsets.UTF_8);
        assertThat(body).as("every event is framed as 'data: ...' and a blank line").endsWith("\n\n");
        return Arrays.stream(body.split("\n\n")).toList();
    }

    @Test
    void aStreamGoingBeyondItsHoldIsCutBeforeTheChunkThatCrossesItWithATerminalError() {
        var out = new ByteArrayOutputStream();
        RelayResult result = relay.relay(complete().iterator(), out, true, System.nanoTime(), 1);

        List<String> lines = dataLines(out);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("\"content\":\"Hel\"");
        assertThat(lines.get(1)).contains("\"type\":\"insufficient_quota\"").contains("\"code\":\"hold_exceeded\"");
        assertThat(lines.get(2)).isEqualTo("data: [DONE]");
        assertThat(result.outcome()).isEqualTo(Outcome.UPSTREAM_ERROR);
        assertThat(result.content()).isEqualTo("Hel");
        assertThat(result.usage()).as("billed as produced").isEqualTo(new MeteredUsage("simulated", 10, 0, 2, 8, false));
    }

    @Test
    void aStreamWithinItsHoldIsNotCut() {
        var out = new ByteArrayOutputStream();
        RelayResult result = relay.relay(complete().iterator(), out, false, System.nanoTime(), 2);
        assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(result.error()).isNull();
    }

    @Test
    void relaysEachChunkWithoutXPlatformAndHoldsBackTheUsageChunkUnlessAsked() {
        var out = new ByteArrayOutputStream();
        RelayResult result = relay.relay(complete().iterator(), out, false, System.nanoTime());

        assertThat(dataLines(out)).hasSize(3).allMatch(l -> l.startsWith("data: "));
        assertThat(dataLines(out).get(0)).contains("\"content\":\"Hel\"").doesNotContain("x_platform");
        assertThat(dataLines(out).get(1)).contains("\"content\":\"lo\"").doesNotContain("x_platform");
        assertThat(dataLines(out).get(2)).isEqualTo("data: [DONE]");
        assertThat(result.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(result.usage()).isEqualTo(new MeteredUsage("simulated", 10, 4, 2, 8, false));
        assertThat(result.timeToFirstTokenMs()).isNotNull().isGreaterThanOrEqualTo(0);
    }

    @Test
    void forwardsTheUsageChunkWithoutXPlatformWhenTheClientAskedForIt() {
        var out = new ByteArrayOutputStream();
        relay.relay(complete().iterator(), out, true, System.nanoTime());

        List<String> lines = dataLines(out);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).contains("\"choices\":[]").contains("\"total_tokens\":12").doesNotContain("x_platform");
        assertThat(lines.get(3)).isEqualTo("data: [DONE]");
    }

    @Test
    void flushesEveryChunkAsItArrives() {
        AtomicInteger flushes = new AtomicInteger();
        var out = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes.incrementAndGet();
            }
        };
        relay.relay(complete().iterator(), out, true, System.nanoTime());
        // headers, 2 content chunks, usage chunk, [DONE]
        assertThat(flushes.get()).isEqualTo(5);
    }

    @Test
    void anUpstreamFailureMidStreamEndsWithAnErrorEventThenDoneAndKeepsThePartialUsage() {
        Iterator<String> upstream = new Iterator<>() {
            private final Iterator<String> first = List.of(chunk("Hel", 1, 7), "").iterator();

            @Override
            public boolean hasNext() {
                if (first.hasNext()) {
                    return true;
                }
                throw new UncheckedIOException(new IOException("connection reset"));
            }

            @Override
            public String next() {
                return first.next();
            }
        };
        var out = new ByteArrayOutputStream();
        RelayResult result = relay.relay(upstream, out, false, System.nanoTime());

        List<String> lines = dataLines(out);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("data: {\"error\":").contains("\"code\":\"upstream_unavailable\"");
        assertThat(lines.get(2)).isEqualTo("data: [DONE]");
        assertThat(result.outcome()).isEqualTo(Outcome.UPSTREAM_ERROR);
        assertThat(result.usage()).isEqualTo(new MeteredUsage("simulated", 10, 0, 1, 7, false));
    }

    @Test
    void anUpstreamThatStopsWithoutDoneIsAnUpstreamError() {
        var out = new ByteArrayOutputStream();
        RelayResult result = relay.relay(List.of(chunk("Hel", 1, 7), "").iterator(), out, false, System.nanoTime());

        assertThat(dataLines(out).get(1)).contains("\"error\"");
        assertThat(dataLines(out).getLast()).isEqualTo("data: [DONE]");
        assertThat(result.outcome()).isEqualTo(Outcome.UPSTREAM_ERROR);
    }

    @Test
    void anErrorEventFromTheProviderIsRelayedAndEndsTheStream() {
        var lines = List.of(chunk("Hel", 1, 7), "",
                "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"provider_error\"},"
                        + "\"x_platform\":{\"provider\":\"simulated\",\"prompt_tokens\":10,\"completion_tokens\":3,\"cost_micro_usd\":10}}",
                "", chunk("never", 4, 12), "");
        var out = new ByteArrayOutputStream();
        RelayResult result = relay.relay(lines.iterator(), out, false, System.nanoTime());

        List<String> relayed = dataLines(out);
        assertThat(relayed).hasSize(3);
        assertThat(relayed.get(1)).contains("overloaded").doesNotContain("x_platform");
        assertThat(relayed.get(2)).isEqualTo("data: [DONE]");
        assertThat(result.outcome()).isEqualTo(Outcome.UPSTREAM_ERROR);
        assertThat(result.usage().outputTokens()).isEqualTo(3);
    }

    @Test
    void aClientThatLeavesStopsTheRelayAndIsBilledForWhatWasProduced() {
        List<String> consumed = new ArrayList<>();
        Iterator<String> upstream = new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return true; // an endless generation
            }

            @Override
            public String next() {
                i++;
                String line = i % 2 == 1 ? chunk("t" + i, (i + 1) / 2, 5 + i) : "";
                consumed.add(line);
                return line;
            }
        };
        OutputStream leavesAfterTwoChunks = new OutputStream() {
            private int chunks;

            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (++chunks > 2) {
                    throw new IOException("Broken pipe");
                }
            }
        };
        RelayResult result = relay.relay(upstream, leavesAfterTwoChunks, false, System.nanoTime());

        assertThat(result.outcome()).isEqualTo(Outcome.CLIENT_DISCONNECTED);
        assertThat(consumed).as("no further upstream reads after the failed write").hasSize(5);
        assertThat(result.usage().outputTokens()).isEqualTo(3);
        assertThat(result.usage().inputTokens()).isEqualTo(10);
        assertThat(result.usage().costMicroUsd()).isEqualTo(10);
    }

    @Test
    void aStreamThatProducedNothingReportsNoUsage() {
        var out = new ByteArrayOutputStream();
        RelayResult result = relay.relay(List.of("data: [DONE]").iterator(), out, false, System.nanoTime());
        assertThat(result.usage()).isNull();
        assertThat(result.timeToFirstTokenMs()).isNull();
        assertThat(dataLines(out)).containsExactly("data: [DONE]");
    }
}

package dev.chatplatform.provider.completion;

import dev.chatplatform.provider.cache.CachedAnswer;
import dev.chatplatform.provider.upstream.TokenUsage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers from a {@link CachedAnswer}: the same shapes as a live answer, with the tokens the answer consumed
 * when it was generated, {@code cost_micro_usd: 0} (no provider was called) and {@code cache_hit: true}.
 * A stream replays the answer word by word (a role chunk, content chunks, tool calls, the finish chunk,
 * the usage chunk, {@code [DONE]}), with the completion tokens in {@code x_platform} growing in proportion.
 */
final class CacheReplay {

    private CacheReplay() {
    }

    static ChatCompletionResponse response(PreparedCompletion call) {
        CachedAnswer a = call.cached();
        var choice = new ChatCompletionResponse.Choice(0,
                new ChatCompletionResponse.Message("assistant", a.content().isEmpty() && !a.toolCalls().isEmpty() ? null
                        : a.content(), ChatCompletionResponse.ToolCallResponse.of(a.toolCalls(), false)),
                a.finishReason(), null);
        return new ChatCompletionResponse(call.id(), "chat.completion", call.created(), a.model(), List.of(choice),
                UsageResponse.of(usage(a, a.completionTokens())),
                new XPlatform(a.provider(), null, null, 0, a.estimated(), a.model(), 0, call.auto(), true));
    }

    static void stream(PreparedCompletion call, SseWriter sse) throws IOException {
        CachedAnswer a = call.cached();
        sse.send(chunk(call, new ChatCompletionChunk.Delta("assistant", ""), null, 0));
        List<String> pieces = pieces(a.content());
        for (int i = 0; i < pieces.size(); i++) {
            int soFar = (int) ((long) a.completionTokens() * (i + 1) / pieces.size());
            sse.send(chunk(call, new ChatCompletionChunk.Delta(null, pieces.get(i)), null, soFar));
        }
        if (!a.toolCalls().isEmpty()) {
            sse.send(chunk(call, new ChatCompletionChunk.Delta(null, null,
                    ChatCompletionResponse.ToolCallResponse.of(a.toolCalls(), true)), null, a.completionTokens()));
        }
        sse.send(chunk(call, new ChatCompletionChunk.Delta(null, null), a.finishReason(), a.completionTokens()));
        sse.send(new ChatCompletionChunk(call.id(), "chat.completion.chunk", call.created(), a.model(), List.of(),
                UsageResponse.of(usage(a, a.completionTokens())), platform(call, a.completionTokens())));
        sse.done();
    }

    /** Words with the whitespace before them, so the pieces concatenate to the content exactly. */
    static List<String> pieces(String content) {
        List<String> pieces = new ArrayList<>();
        if (content == null || content.isEmpty()) {
            return pieces;
        }
        for (String piece : content.split("(?<=\\S)(?=\\s)")) {
            pieces.add(piece);
        }
        return pieces;
    }

    private static ChatCompletionChunk chunk(PreparedCompletion call, ChatCompletionChunk.Delta delta, String finishReason,
                                             int completionTokens) {
        return new ChatCompletionChunk(call.id(), "chat.completion.chunk", call.created(), call.cached().model(),
                List.of(new ChatCompletionChunk.Choice(0, delta, finishReason, null)), null,
                platform(call, completionTokens));
    }

    private static XPlatform platform(PreparedCompletion call, int completionTokens) {
        CachedAnswer a = call.cached();
        return new XPlatform(a.provider(), a.promptTokens(), completionTokens, 0, a.estimated(), a.model(), null,
                call.auto(), true);
    }

    private static TokenUsage usage(CachedAnswer a, int completionTokens) {
        return new TokenUsage(a.promptTokens(), a.cachedTokens(), completionTokens, a.estimated());
    }
}

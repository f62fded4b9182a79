package dev.chatplatform.provider.upstream;

import java.io.IOException;

/** Receives an answer while it is generated; an IOException means the receiver is gone and generation stops. */
public interface GenerationObserver {

    GenerationObserver IGNORE = new GenerationObserver() {
        @Override
        public void started(TokenUsage usage) {
        }

        @Override
        public void delta(String content, TokenUsage usageSoFar) {
        }
    };

    /** Before the first piece: the prompt is counted, no completion token yet. */
    void started(TokenUsage usage) throws IOException;

    /** One piece of the answer (one token for the simulated model) and the usage including it. */
    void delta(String content, TokenUsage usageSoFar) throws IOException;

    /**
     * One piece of a tool call, as soon as the provider sends it (the whole call, in the {@link Generation}, only
     * comes at the end). Every provider reports each call this way while streaming, piece by piece where its API
     * streams calls in pieces.
     */
    default void toolCallDelta(ToolCallDelta delta, TokenUsage usageSoFar) throws IOException {
    }

    /**
     * A piece of any choice with its log probabilities, sent instead of {@link #delta} and {@link #toolCallDelta} by
     * providers that honour {@code n} or {@code logprobs} when the request asks for either. Observers on a path
     * such a request can take override it; the default passes on choice 0 without log probabilities.
     */
    default void choiceDelta(ChoiceDelta delta, TokenUsage usageSoFar) throws IOException {
        if (delta.choice() != 0) {
            return;
        }
        for (ToolCallDelta call : delta.toolCalls()) {
            toolCallDelta(call, usageSoFar);
        }
        if (!delta.content().isEmpty()) {
            delta(delta.content(), usageSoFar);
        }
    }
}

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
}

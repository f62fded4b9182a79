package dev.chatplatform.provider.routing;

import dev.chatplatform.provider.upstream.ChoiceDelta;
import dev.chatplatform.provider.upstream.TokenUsage;
import dev.chatplatform.provider.upstream.ToolCallDelta;

import java.io.IOException;

/**
 * Receives a routed answer while it is generated. {@link #started} is called once per request (for the first
 * attempt that got an answer going); pieces name the deployment producing them. An IOException means the
 * receiver is gone: generation stops and nothing is retried.
 */
public interface RoutedObserver {

    RoutedObserver IGNORE = new RoutedObserver() {
        @Override
        public void started(RouteTarget target, TokenUsage usage) {
        }

        @Override
        public void delta(RouteTarget target, String content, TokenUsage usageSoFar) {
        }
    };

    void started(RouteTarget target, TokenUsage usage) throws IOException;

    void delta(RouteTarget target, String content, TokenUsage usageSoFar) throws IOException;

    /** One piece of a tool call (see {@code GenerationObserver#toolCallDelta}). */
    default void toolCallDelta(RouteTarget target, ToolCallDelta delta, TokenUsage usageSoFar) throws IOException {
    }

    /** A piece of any choice with its log probabilities (see {@code GenerationObserver#choiceDelta}). */
    default void choiceDelta(RouteTarget target, ChoiceDelta delta, TokenUsage usageSoFar) throws IOException {
    }
}

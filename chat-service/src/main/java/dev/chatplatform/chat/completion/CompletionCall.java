package dev.chatplatform.chat.completion;

import dev.chatplatform.kit.identity.CallerIdentity;

/**
 * Who made a completion request and what must travel with it to provider-service.
 *
 * @param caller       the verified caller (billed account and key), asserted downstream in a token minted per call
 * @param requestId    the platform request id: passed through, and the cause of the usage event
 * @param startedNanos {@link System#nanoTime()} when the request arrived
 */
record CompletionCall(CallerIdentity caller, String requestId, long startedNanos) {
}

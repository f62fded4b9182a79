package dev.chatplatform.chat.completion;

import dev.chatplatform.kit.identity.CallerIdentity;

/**
 * Who made a completion request and what must travel with it to provider-service.
 *
 * @param caller       the verified caller (billed account and key), asserted downstream in a token minted per call
 * @param requestId    the platform request id: passed through, and the cause of the usage event
 * @param startedNanos {@link System#nanoTime()} when the request arrived
 * @param autoChoice   for {@code model: "auto"}: what was chosen ({@code X-Platform-Auto-Model}), sent along so
 *                     provider-service reports it; else null
 */
record CompletionCall(CallerIdentity caller, String requestId, long startedNanos, String autoChoice) {
}

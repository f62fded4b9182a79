/**
 * The seam every LLM provider plugs into: {@link dev.chatplatform.provider.upstream.ChatProvider} takes a
 * provider-neutral request and reports the answer piece by piece with cumulative usage, so the completion
 * endpoint streams and prices every provider the same way. Also the o200k tokenizer used for counting.
 */
package dev.chatplatform.provider.upstream;

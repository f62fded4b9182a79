package dev.chatplatform.provider.upstream;

/**
 * A finished answer.
 *
 * @param finishReason OpenAI's finish_reason: "stop" (natural end or stop sequence) or "length" (cut by max_tokens)
 */
public record Generation(String content, String finishReason, TokenUsage usage) {
}

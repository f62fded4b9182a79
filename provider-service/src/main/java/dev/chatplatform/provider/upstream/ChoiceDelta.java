package dev.chatplatform.provider.upstream;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * One streamed piece of one choice when the request asked for {@code n > 1} or {@code logprobs}: its text, its tool
 * call pieces and the log probabilities of its tokens, as OpenAI streams them in one chunk.
 *
 * @param choice    the choice's index (0..n-1)
 * @param content   the text piece, empty when none
 * @param toolCalls tool call pieces (empty when none)
 * @param logprobs  OpenAI's {@code logprobs} object of this piece; null when none
 */
public record ChoiceDelta(int choice, String content, List<ToolCallDelta> toolCalls, JsonNode logprobs) {

    public ChoiceDelta {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
}

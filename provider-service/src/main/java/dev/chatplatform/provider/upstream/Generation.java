package dev.chatplatform.provider.upstream;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A finished answer: its first choice, and the others when the request asked for {@code n > 1}.
 *
 * @param finishReason OpenAI's finish_reason: "stop", "length" (cut by max_tokens), "tool_calls" or "content_filter"
 * @param usage        the usage of every choice together (n choices' completion tokens are all billed)
 * @param toolCalls    the functions the model asked to call (empty when none)
 * @param logprobs     the first choice's OpenAI {@code logprobs} object as the provider sent it; null when not asked
 * @param moreChoices  the choices after the first (index 1..n-1), empty unless {@code n > 1}
 */
public record Generation(String content, String finishReason, TokenUsage usage, List<ToolCall> toolCalls,
                         JsonNode logprobs, List<Choice> moreChoices) {

    /** One choice of an answer, in OpenAI's terms. */
    public record Choice(int index, String content, String finishReason, List<ToolCall> toolCalls, JsonNode logprobs) {

        public Choice {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        }
    }

    public Generation {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        moreChoices = moreChoices == null ? List.of() : List.copyOf(moreChoices);
    }

    public Generation(String content, String finishReason, TokenUsage usage, List<ToolCall> toolCalls) {
        this(content, finishReason, usage, toolCalls, null, List.of());
    }

    public Generation(String content, String finishReason, TokenUsage usage) {
        this(content, finishReason, usage, List.of());
    }

    /** Every choice, the first one included, by index. */
    public List<Choice> choices() {
        List<Choice> all = new ArrayList<>(1 + moreChoices.size());
        all.add(new Choice(0, content, finishReason, toolCalls, logprobs));
        all.addAll(moreChoices);
        return all;
    }
}

package dev.chatplatform.chat.completion;

import dev.chatplatform.kit.openai.ChatCompletionRequest;
import dev.chatplatform.kit.openai.ContentPart;
import tools.jackson.databind.JsonNode;

import java.util.function.ToIntFunction;

/**
 * The prompt size of a chat completion request as counted for its budget hold: OpenAI's cookbook way (3 tokens
 * of framing per message plus role, name and content, 3 to prime the reply), plus tool calls and tool
 * definitions as their JSON text, images, files and audio as {@link ContentPart#estimatedTokens()}. An estimate for a
 * worst case: the provider's count is what is billed.
 */
final class PromptTokens {

    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int REPLY_PRIMING = 3;

    private PromptTokens() {
    }

    static long count(ChatCompletionRequest request, ToIntFunction<String> tokens) {
        JsonNode body = request.body();
        long total = REPLY_PRIMING;
        for (var message : request.messages()) {
            for (ContentPart part : message.content()) {
                total += part.estimatedTokens();
            }
        }
        for (JsonNode message : body.path("messages")) {
            total += TOKENS_PER_MESSAGE + tokens.applyAsInt(message.path("role").asString(""));
            JsonNode content = message.path("content");
            if (content.isString()) {
                total += tokens.applyAsInt(content.stringValue());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    total += tokens.applyAsInt(part.path("text").asString(""));
                }
            }
            if (message.path("name").isString()) {
                total += 1 + tokens.applyAsInt(message.path("name").stringValue());
            }
            if (!message.path("tool_calls").isMissingNode() && !message.path("tool_calls").isNull()) {
                total += tokens.applyAsInt(message.path("tool_calls").toString());
            }
        }
        if (body.path("tools").isArray()) {
            total += tokens.applyAsInt(body.path("tools").toString());
        }
        return total;
    }
}

package dev.chatplatform.chat.completion;

import tools.jackson.databind.node.ObjectNode;

/**
 * A validated chat completion request. The body is kept whole, so fields this service does not look at
 * (tools, seed, response_format...) still reach provider-service.
 *
 * @param model        the model the caller asked for
 * @param stream       whether the answer is streamed as SSE
 * @param includeUsage whether the caller asked for the final usage chunk ({@code stream_options.include_usage})
 * @param body         the request as the caller sent it
 */
record ChatCompletionRequest(String model, boolean stream, boolean includeUsage, ObjectNode body) {
}

/**
 * {@code POST /v1/chat/completions} in OpenAI's format, stream (SSE) and non-stream: validates the request,
 * resolves the model and its price, runs the model's {@code ChatProvider}, and adds the {@code x_platform}
 * usage-and-cost object chat-service bills from.
 */
package dev.chatplatform.provider.completion;

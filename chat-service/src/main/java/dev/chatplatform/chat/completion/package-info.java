/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible and stateless: validates the request as OpenAI
 * does, forwards it to provider-service, relays the answer (SSE chunk by chunk when streamed) without the
 * internal {@code x_platform} extension, and meters what the model produced.
 */
package dev.chatplatform.chat.completion;

/**
 * The one OpenAI Chat Completions request model of the platform: parsed and validated once
 * ({@link dev.chatplatform.kit.openai.ChatCompletionRequest#parse}) by chat-service and provider-service alike, with
 * the error codes of {@link dev.chatplatform.kit.web.ErrorCode}.
 */
package dev.chatplatform.kit.openai;

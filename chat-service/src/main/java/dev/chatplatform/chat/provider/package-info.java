/**
 * The HTTP client to provider-service, which speaks the OpenAI Chat Completions wire format plus the
 * {@code x_platform} usage extension. Identity and request id are passed through on every call.
 */
package dev.chatplatform.chat.provider;

/** chat-service: the OpenAI-compatible chat endpoint, metered with one usage event per request. */
package dev.chatplatform.chat;

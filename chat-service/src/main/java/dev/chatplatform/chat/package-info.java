/** chat-service: the OpenAI-compatible chat endpoint and conversations, metered with one usage event per request. */
package dev.chatplatform.chat;

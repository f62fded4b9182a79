/**
 * Context building: which of a conversation's messages go with a request, counted in tokens so the prompt
 * fits the model's context window (system prompt and newest turns kept, oldest dropped first).
 */
package dev.chatplatform.chat.context;

/**
 * Events published by chat-service about conversations (conversations.v1): {@link
 * dev.chatplatform.contracts.chat.ConversationChanged} and {@link dev.chatplatform.contracts.chat.MessageRecorded}.
 * They carry no titles, system prompts or message content: analysts count conversations, never read them.
 */
package dev.chatplatform.contracts.chat;

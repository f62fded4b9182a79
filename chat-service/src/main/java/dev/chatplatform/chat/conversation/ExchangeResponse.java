package dev.chatplatform.chat.conversation;

/**
 * The non-stream answer of {@code POST .../messages} and {@code .../regenerate}: both stored messages, and
 * whether older history was left out of the prompt to fit the model's context window.
 */
record ExchangeResponse(String object, String conversationId, String title, boolean historyTruncated,
                        int droppedMessages, MessageResponse userMessage, MessageResponse assistantMessage) {
}

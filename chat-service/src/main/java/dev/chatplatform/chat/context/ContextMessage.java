package dev.chatplatform.chat.context;

/** One message as the model sees it: {@code system}, {@code user} or {@code assistant}, and its text. */
public record ContextMessage(String role, String content) {
}

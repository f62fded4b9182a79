package dev.chatplatform.chat.context;

/** Even without any history, the system prompt and the new message leave no room for an answer. */
public class ContextTooLongException extends RuntimeException {

    private final int required;
    private final int available;

    public ContextTooLongException(int required, int available) {
        super("The message needs " + required + " tokens with the system prompt, but the model's context window"
                + " leaves " + available + " for the prompt.");
        this.required = required;
        this.available = available;
    }

    public int required() {
        return required;
    }

    public int available() {
        return available;
    }
}

package dev.chatplatform.provider.upstream;

/**
 * A function call made by the model, in OpenAI's terms.
 *
 * @param id        the call id the tool's answer refers to
 * @param arguments the arguments as a JSON text, exactly as the model produced them
 */
public record ToolCall(String id, String name, String arguments) {
}

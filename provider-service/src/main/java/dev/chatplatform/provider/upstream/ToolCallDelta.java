package dev.chatplatform.provider.upstream;

/**
 * One piece of a tool call as the model produces it, in OpenAI's streaming terms: the first piece of a call carries
 * its {@code id} and function {@code name} (and usually empty arguments), each later one only the next piece of the
 * arguments' JSON text. Concatenating a call's {@code arguments} pieces gives exactly {@link ToolCall#arguments()}.
 *
 * @param index the call's position among the answer's calls (0, 1, ...)
 * @param id    the call id on its first piece, else null
 * @param name  the function name on its first piece, else null
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {

    public static ToolCallDelta start(int index, String id, String name) {
        return new ToolCallDelta(index, id, name, "");
    }

    public static ToolCallDelta arguments(int index, String piece) {
        return new ToolCallDelta(index, null, null, piece);
    }
}

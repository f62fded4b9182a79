package dev.chatplatform.provider.auto;

/**
 * What {@code model: "auto"} chose and why; sent back as {@code x_platform.auto}, in the
 * {@code X-Platform-Auto-Model} header and as {@code autoReason} in {@code llm-calls.v1}.
 *
 * @param reason plain ASCII, one line (it also travels in a header)
 */
public record AutoSelection(String model, String reason) {

    /**
     * A choice made earlier, as its {@link #headerValue()} (chat-service resolves {@code auto} before it holds budget,
     * then sends the chosen model with this header); null for none or a value that does not read as one.
     */
    public static AutoSelection parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int semicolon = header.indexOf(';');
        int start = header.indexOf("reason=\"");
        int end = header.lastIndexOf('"');
        if (semicolon <= 0 || start < 0 || end <= start + 8) {
            return null;
        }
        return new AutoSelection(header.substring(0, semicolon).strip(), header.substring(start + 8, end));
    }

    /** The header value: {@code <model>; reason="<reason>"}. */
    public String headerValue() {
        return model + "; reason=\"" + reason.replace("\"", "'") + "\"";
    }
}

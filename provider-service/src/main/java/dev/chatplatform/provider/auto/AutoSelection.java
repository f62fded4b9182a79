package dev.chatplatform.provider.auto;

/**
 * What {@code model: "auto"} chose and why; sent back as {@code x_platform.auto}, in the
 * {@code X-Platform-Auto-Model} header and as {@code autoReason} in {@code llm-calls.v1}.
 *
 * @param reason plain ASCII, one line (it also travels in a header)
 */
public record AutoSelection(String model, String reason) {

    /** The header value: {@code <model>; reason="<reason>"}. */
    public String headerValue() {
        return model + "; reason=\"" + reason.replace("\"", "'") + "\"";
    }
}

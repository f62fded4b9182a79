package dev.chatplatform.chat.conversation;

/**
 * What {@code model: "auto"} chose for an answer and why, as provider-service says it in its
 * {@code X-Platform-Auto-Model: <model>; reason="<reason>"} header.
 */
record AutoChoice(String model, String reason) {

    static final String HEADER = "X-Platform-Auto-Model";
    private static final int MAX_REASON = 500;

    /** The choice in a header value, or null for none or a value that does not read as one. */
    static AutoChoice parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int semicolon = header.indexOf(';');
        String model = (semicolon < 0 ? header : header.substring(0, semicolon)).strip();
        if (model.isEmpty() || model.length() > 100) {
            return null;
        }
        String reason = null;
        int start = header.indexOf("reason=\"");
        if (start >= 0) {
            int end = header.lastIndexOf('"');
            if (end > start + 8) {
                reason = header.substring(start + 8, end);
                reason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
            }
        }
        return new AutoChoice(model, reason);
    }
}

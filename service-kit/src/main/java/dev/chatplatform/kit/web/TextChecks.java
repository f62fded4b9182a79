package dev.chatplatform.kit.web;

/**
 * Characters no request may carry in a string: NUL (PostgreSQL refuses it in {@code text}, so a NUL that got
 * through would fail the write with a 500) and unpaired UTF-16 surrogates (not a character at all: UTF-8 cannot
 * encode one, so it would be stored as {@code ?} and break the JSON a client gets back).
 */
final class TextChecks {

    private TextChecks() {
    }

    /** What is wrong with {@code text}, in words, or null when it can be stored and echoed as it is. */
    static String problem(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase() + ")";
            }
        }
        return null;
    }

    /** {@code text} with every NUL and unpaired surrogate replaced by U+FFFD, for echoing it in an error. */
    static String printable(String text) {
        if (text == null || problem(text) == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}

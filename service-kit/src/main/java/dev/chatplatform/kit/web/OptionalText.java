package dev.chatplatform.kit.web;

/** An optional text parameter of a query: absent or blank is no value, anything else is taken stripped. */
public final class OptionalText {

    private OptionalText() {
    }

    /** {@code value} stripped, or null when it is null or blank. */
    public static String of(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

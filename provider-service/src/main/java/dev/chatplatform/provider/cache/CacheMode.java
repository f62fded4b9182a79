package dev.chatplatform.provider.cache;

import dev.chatplatform.kit.web.ApiException;

import java.util.Locale;

/** The caller's {@code X-Platform-Cache} request header. */
public enum CacheMode {
    /** no header: cache deterministic requests (temperature 0) only */
    DEFAULT,
    /** {@code use}: cache whatever the temperature */
    USE,
    /** {@code bypass}: neither read nor store, even at temperature 0 */
    BYPASS;

    public static final String HEADER = "X-Platform-Cache";

    public static CacheMode of(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "use" -> USE;
            case "bypass" -> BYPASS;
            default -> throw ApiException.invalid("invalid_value",
                    "Header '" + HEADER + "' must be 'use' or 'bypass', got '" + header + "'.", HEADER);
        };
    }
}

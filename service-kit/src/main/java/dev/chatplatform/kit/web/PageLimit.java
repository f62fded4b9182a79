package dev.chatplatform.kit.web;

/** The {@code limit} of a paged admin list: 1 to {@value #MAX} entries, as the platform's OpenAPI document says. */
public final class PageLimit {

    public static final int MAX = 100;

    private PageLimit() {
    }

    /**
     * @return {@code limit}
     * @throws ApiException 400 naming {@code limit} when it is outside 1 to {@value #MAX}
     */
    public static int check(int limit) {
        if (limit < 1 || limit > MAX) {
            throw ApiException.invalid("invalid_value", "'limit' must be between 1 and " + MAX + ".", "limit");
        }
        return limit;
    }
}

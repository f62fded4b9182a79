package dev.chatplatform.flags;

import java.util.Map;

/**
 * Who a flag is evaluated for.
 *
 * @param accountId  the account (first choice of stickiness, and what allow/deny lists name), or null
 * @param sessionId  the session (stickiness when there is no account), or null; with neither, bucketing is random
 * @param attributes what segments match on: {@code tier}, {@code size} (test, small, large...), any custom attribute
 */
public record FlagContext(String accountId, String sessionId, Map<String, String> attributes) {

    public FlagContext {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static FlagContext ofAccount(String accountId) {
        return new FlagContext(accountId, null, Map.of());
    }

    /** The stickiness value: account id, then session id; null means random. */
    public String stickyValue() {
        if (accountId != null && !accountId.isBlank()) {
            return accountId;
        }
        return sessionId != null && !sessionId.isBlank() ? sessionId : null;
    }
}

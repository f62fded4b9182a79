package dev.chatplatform.chat.budget;

/**
 * A budget hold placed for one model call (or its worst case drawn from a budget lease, {@link LeaseBook}), or none when usage-service could not be reached and the call was
 * let through ({@code chat.budget.fail-open-tiers}).
 *
 * @param holdId           usage-service's id, or null when no hold was placed
 * @param grantedMaxTokens the most the answer may use, or null when unlimited here
 * @param askedMaxTokens   the worst-case answer the hold asked for
 * @param draw             when the worst case was drawn from a budget lease instead ({@code holdId} is then the
 *                         lease's id), what was drawn; null for a hold of its own
 */
public record Hold(String holdId, Long grantedMaxTokens, long askedMaxTokens, LeaseBook.Draw draw) {

    static final Hold NONE = new Hold(null, null, 0, null);

    Hold(String holdId, Long grantedMaxTokens, long askedMaxTokens) {
        this(holdId, grantedMaxTokens, askedMaxTokens, null);
    }

    /**
     * Whether the budget granted less than the worst case: then max_tokens must go upstream even when the
     * caller set none (otherwise the provider's own limit, at most the worst case, applies).
     */
    public boolean limitsAnswer() {
        return grantedMaxTokens != null && grantedMaxTokens < askedMaxTokens;
    }

    /** The completion-token count a stream may not exceed; {@link Long#MAX_VALUE} when no hold limits it. */
    public long streamLimit() {
        return grantedMaxTokens == null ? Long.MAX_VALUE : grantedMaxTokens;
    }

    public boolean placed() {
        return holdId != null;
    }
}

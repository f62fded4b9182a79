package dev.chatplatform.rollout.flag.web;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /api/v1/flags/evaluate}.
 *
 * @param flags   the flags wanted; empty or absent means every flag
 * @param context who to evaluate for; the account defaults to the caller's (only admins may name another)
 */
public record EvaluateRequest(List<String> flags, Context context) {

    /**
     * @param accountId  the account; absent means the caller's
     * @param sessionId  stickiness when there is no account
     * @param attributes what segments match on (tier, size, custom attributes)
     */
    public record Context(String accountId, String sessionId, Map<String, String> attributes) {
    }
}

package dev.chatplatform.rollout.flag.web;

import java.util.Map;

/** The variant of every flag asked for, keyed by flag key. */
public record EvaluateResponse(String accountId, Map<String, Result> flags) {

    /**
     * @param variant the variant served (null for an unknown flag)
     * @param enabled whether the caller is included (the variant is not the flag's off variant)
     * @param reason  why (ENV_KILLED, KILLED, DISABLED, DENY_LISTED, ALLOW_LISTED, SEGMENT_MISMATCH, IN_ROLLOUT,
     *                OUT_OF_ROLLOUT, FLAG_NOT_FOUND)
     * @param version the flag version evaluated
     */
    public record Result(String variant, boolean enabled, String reason, long version) {
    }
}

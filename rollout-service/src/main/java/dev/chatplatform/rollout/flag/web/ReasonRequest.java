package dev.chatplatform.rollout.flag.web;

/** Body of kill, revive and manual phase advance: why (kept in the audit log). */
public record ReasonRequest(String reason) {
}

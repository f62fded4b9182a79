/**
 * The one implementation of flag evaluation, shared by rollout-service ({@code POST /api/v1/flags/evaluate})
 * and every service evaluating locally through the OpenFeature provider ({@code openfeature} package): sticky,
 * Unleash-compatible bucketing ({@link dev.chatplatform.flags.Bucketing}), allow/deny lists, segments, weighted
 * variants and the environment kill switch ({@link dev.chatplatform.flags.Overrides}). Pure Java, no Spring.
 */
package dev.chatplatform.flags;

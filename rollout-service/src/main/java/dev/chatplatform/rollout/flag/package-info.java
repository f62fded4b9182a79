/**
 * Flags: their stored state (the {@code flags.v1} document itself), SLO rules, audited and published changes,
 * kills, and evaluation through the one shared implementation in flags-client.
 */
package dev.chatplatform.rollout.flag;

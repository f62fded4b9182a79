/**
 * Phased rollout plans: allow-listed test accounts, then growing percentages, each phase with a minimum
 * duration and sample; advanced by an admin or by the guard when the phase's SLOs held.
 */
package dev.chatplatform.rollout.plan;

/** rollout-service: feature flags, phased plans, automatic rollback; publishes flag state on flags.v1. */
package dev.chatplatform.rollout;

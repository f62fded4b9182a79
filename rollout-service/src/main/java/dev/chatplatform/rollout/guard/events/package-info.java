/** Consumers turning llm-calls.v1 and usage.v1 events into variant-tagged observations. */
package dev.chatplatform.rollout.guard.events;

/** Events published by provider-service: one {@link dev.chatplatform.contracts.provider.LlmCallRecorded} per upstream LLM call (llm-calls.v1). */
package dev.chatplatform.contracts.provider;

package dev.chatplatform.contracts.provider;

/** Topics written by provider-service. Keys are account ids. */
public final class Topics {

    /** One {@link LlmCallRecorded} per upstream LLM call (every retry and fallback included). */
    public static final String LLM_CALLS = "llm-calls.v1";

    private Topics() {
    }
}

/**
 * Adapter for the OpenAI Chat Completions protocol on OpenAI's official Java SDK: serves OpenAI, Groq and any
 * OpenAI-compatible server (Ollama, vLLM, LM Studio), each a {@code ChatProvider} with its own base URL and key.
 */
package dev.chatplatform.provider.openai;

/**
 * OpenAI's {@code POST /v1/embeddings} under the same governance as chat completions: the request is checked
 * ({@code kit.openai.EmbeddingsRequest}), the model must be an embedding model, a budget hold covers its input
 * tokens before provider-service is called, and a request that consumed tokens leaves exactly one
 * {@code usage.recorded.v1} of kind {@code EMBEDDINGS}, which settles the hold.
 */
package dev.chatplatform.chat.embedding;

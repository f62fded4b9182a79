/**
 * {@code POST /v1/embeddings}: checks the request ({@code kit.openai.EmbeddingsRequest}), resolves an embedding
 * model and its price, calls the first of its deployments whose provider answers, and answers in OpenAI's shape
 * with the cost in {@code x_platform} (which chat-service meters and strips). Adapters plug in behind
 * {@link dev.chatplatform.provider.embedding.EmbeddingProvider}; this package never names one.
 */
package dev.chatplatform.provider.embedding;

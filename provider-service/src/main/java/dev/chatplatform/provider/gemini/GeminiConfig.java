package dev.chatplatform.provider.gemini;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.UpstreamProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GeminiConfig {

    /** The Gen AI SDK takes one total timeout; retries are routing's job, so the SDK makes one attempt. */
    @Bean
    @ConditionalOnExpression("'${provider.gemini.api-key:}' != ''")
    GeminiChatProvider geminiProvider(UpstreamProperties properties, Tokenizer tokenizer) {
        return new GeminiChatProvider(client(properties), tokenizer);
    }

    @Bean
    @ConditionalOnExpression("'${provider.gemini.api-key:}' != ''")
    GeminiEmbeddingProvider geminiEmbeddings(UpstreamProperties properties, Tokenizer tokenizer) {
        return new GeminiEmbeddingProvider(client(properties), tokenizer);
    }

    private static Client client(UpstreamProperties properties) {
        UpstreamProperties.Endpoint endpoint = properties.gemini();
        return Client.builder()
                .apiKey(endpoint.apiKey())
                .vertexAI(false)
                .httpOptions(HttpOptions.builder()
                        .baseUrl(endpoint.hasBaseUrl() ? endpoint.baseUrl() : "https://generativelanguage.googleapis.com")
                        .timeout(Math.toIntExact(properties.timeouts().total().toMillis()))
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                        .build())
                .build();
    }
}

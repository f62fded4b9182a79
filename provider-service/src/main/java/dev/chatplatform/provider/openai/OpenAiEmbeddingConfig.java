package dev.chatplatform.provider.openai;

import dev.chatplatform.provider.upstream.UpstreamProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The embeddings side of the OpenAI-protocol endpoints, switched on by the same settings as their chat side. */
@Configuration(proxyBeanMethods = false)
class OpenAiEmbeddingConfig {

    @Bean
    @ConditionalOnExpression("'${provider.openai.api-key:}' != ''")
    OpenAiEmbeddingProvider openAiEmbeddings(UpstreamProperties properties) {
        return new OpenAiEmbeddingProvider("openai", OpenAiConfig.client(properties.openai(), "https://api.openai.com/v1",
                properties.timeouts()));
    }

    @Bean
    @ConditionalOnExpression("'${provider.openai-compatible.base-url:}' != ''")
    OpenAiEmbeddingProvider openAiCompatibleEmbeddings(UpstreamProperties properties) {
        return new OpenAiEmbeddingProvider(OpenAiCompatibleModels.PROVIDER, OpenAiConfig.client(
                properties.openaiCompatible(), null, properties.timeouts()));
    }
}

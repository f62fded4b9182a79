package dev.chatplatform.provider.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.core.Timeout;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.UpstreamProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One OpenAI-protocol provider per configured endpoint: OpenAI, Groq, an OpenAI-compatible server. */
@Configuration(proxyBeanMethods = false)
class OpenAiConfig {

    @Bean
    @ConditionalOnExpression("'${provider.openai.api-key:}' != ''")
    OpenAiChatProvider openAiProvider(UpstreamProperties properties, Tokenizer tokenizer) {
        return new OpenAiChatProvider("openai", client(properties.openai(), "https://api.openai.com/v1",
                properties.timeouts()), tokenizer);
    }

    @Bean
    @ConditionalOnExpression("'${provider.groq.api-key:}' != ''")
    OpenAiChatProvider groqProvider(UpstreamProperties properties, Tokenizer tokenizer) {
        return new OpenAiChatProvider("groq", client(properties.groq(), "https://api.groq.com/openai/v1",
                properties.timeouts()), tokenizer);
    }

    @Bean
    @ConditionalOnExpression("'${provider.openai-compatible.base-url:}' != ''")
    OpenAiChatProvider openAiCompatibleProvider(UpstreamProperties properties, Tokenizer tokenizer) {
        return new OpenAiChatProvider(OpenAiCompatibleModels.PROVIDER, client(properties.openaiCompatible(), null,
                properties.timeouts()), tokenizer);
    }

    @Bean
    @ConditionalOnExpression("'${provider.openai-compatible.base-url:}' != ''")
    OpenAiCompatibleModels openAiCompatibleModels(UpstreamProperties properties,
                                                  dev.chatplatform.provider.catalog.ModelCatalog catalog) {
        return new OpenAiCompatibleModels(properties.openaiCompatible().modelList(), catalog);
    }

    /** Retries are routing's job (with its circuit breakers), so the SDK's own are off. */
    static OpenAIClient client(UpstreamProperties.Endpoint endpoint, String defaultBaseUrl,
                               UpstreamProperties.Timeouts timeouts) {
        Timeout timeout = Timeout.builder().connect(timeouts.connect()).read(timeouts.firstToken())
                .request(timeouts.total()).build();
        return new OpenAIClientImpl(ClientOptions.builder()
                .httpClient(new OpenAiTransport(timeout))
                .checkJacksonVersionCompatibility(false)
                .baseUrl(endpoint.hasBaseUrl() ? endpoint.baseUrl() : defaultBaseUrl)
                // an OpenAI-compatible server may need no key; the SDK insists on one
                .apiKey(endpoint.hasKey() ? endpoint.apiKey() : "none")
                .timeout(timeout)
                .maxRetries(0)
                .build());
    }
}

package dev.chatplatform.provider.anthropic;

import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.Timeout;
import dev.chatplatform.provider.upstream.Tokenizer;
import dev.chatplatform.provider.upstream.UpstreamProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AnthropicConfig {

    /** Retries are routing's job (with its circuit breakers), so the SDK's own are off. */
    @Bean
    @ConditionalOnExpression("'${provider.anthropic.api-key:}' != ''")
    AnthropicChatProvider anthropicProvider(UpstreamProperties properties, Tokenizer tokenizer) {
        UpstreamProperties.Endpoint endpoint = properties.anthropic();
        UpstreamProperties.Timeouts timeouts = properties.timeouts();
        return new AnthropicChatProvider(AnthropicOkHttpClient.builder()
                .apiKey(endpoint.apiKey())
                .baseUrl(endpoint.hasBaseUrl() ? endpoint.baseUrl() : "https://api.anthropic.com")
                .timeout(Timeout.builder().connect(timeouts.connect()).read(timeouts.firstToken())
                        .request(timeouts.total()).build())
                .maxRetries(0)
                .build(), tokenizer);
    }
}

package dev.chatplatform.gateway.auth;

import dev.chatplatform.gateway.apikey.ApiKeyView;
import dev.chatplatform.gateway.edge.ErrorResponses;
import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuthenticationConfig {

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(ApiKeyView view, AuthenticationProperties properties) {
        return new ApiKeyAuthenticator(view, properties.adminApiKey());
    }

    @Bean
    ApiKeyAuthenticationFilter apiKeyAuthenticationFilter(ApiKeyAuthenticator authenticator, IdentityTokens tokens,
                                                          ErrorResponses errors, AuthenticationProperties properties) {
        return new ApiKeyAuthenticationFilter(authenticator, tokens, errors, properties.publicPaths());
    }
}

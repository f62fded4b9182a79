package dev.chatplatform.gateway.auth;

import dev.chatplatform.gateway.account.AccountView;
import dev.chatplatform.gateway.apikey.ApiKeyView;
import dev.chatplatform.gateway.console.ConsolePaths;
import dev.chatplatform.gateway.console.ConsoleProperties;
import dev.chatplatform.gateway.edge.ErrorResponses;
import dev.chatplatform.gateway.oidc.OidcAuthenticator;
import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuthenticationConfig {

    @Bean
    ApiKeyAuthenticator apiKeyAuthenticator(ApiKeyView view, AuthenticationProperties properties) {
        return new ApiKeyAuthenticator(view, properties.adminApiKey());
    }

    @Bean
    AuthenticationFilter authenticationFilter(ApiKeyAuthenticator apiKeys, AccountView accounts,
                                              ObjectProvider<OidcAuthenticator> oidc, ErrorResponses errors,
                                              AuthenticationProperties properties, ConsoleProperties console) {
        return new AuthenticationFilter(apiKeys, accounts, oidc.getIfAvailable(), errors, properties.publicPaths(),
                console.enabled() ? ConsolePaths::isConsole : request -> false);
    }

    @Bean
    IdentityAssertionFilter identityAssertionFilter(IdentityTokens tokens, GatewayProperties gateway) {
        return new IdentityAssertionFilter(tokens, gateway.getRoutes());
    }
}

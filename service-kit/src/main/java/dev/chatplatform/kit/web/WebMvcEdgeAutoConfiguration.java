package dev.chatplatform.kit.web;

import dev.chatplatform.kit.config.PlatformProperties;
import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The shared servlet edge: {@link EdgeFilter}, {@link ApiErrorHandler}, {@code CallerIdentity} parameters and the
 * {@link ScopeInterceptor} that enforces every endpoint's declared scopes.
 */
@AutoConfiguration(afterName = {
        "dev.chatplatform.kit.config.KitIdentityAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebMvcEdgeAutoConfiguration {

    @Bean
    FilterRegistrationBean<EdgeFilter> edgeFilter(IdentityTokens tokens, PlatformProperties properties, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new EdgeFilter(tokens, properties.identity().publicPaths(),
                properties.web().maxBodyBytes(), json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    ApiErrorHandler apiErrorHandler() {
        return new ApiErrorHandler();
    }

    @Bean
    WebMvcConfigurer callerIdentityResolver() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerIdentityArgumentResolver());
            }
        };
    }

    @Bean
    WebMvcConfigurer scopeInterceptor() {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new ScopeInterceptor());
            }
        };
    }
}
